/** Runs scenarios through the engine over sample leads on a virtual clock. Browser-safe: no node: imports. */
export { simulate, simulateAsync, Simulation, type SimulationInput, type SimulationPartial, type Behaviour, type LeadSteps } from './simulate.ts';
export { splitInput } from './run/split.ts';
export { replayFixture, fixtureSimulation, type ReplayRun } from './replay.ts';
export { SimulationInputError, type InputIssue, type StepLike } from './run/timeline.ts';
export { InvalidGraphError } from './world/prepare.ts';
export { DEFAULT_PERSONAS, parsePersonas, companySizeOf, personaFits } from './behaviour/personas.ts';
export type { EnrollmentRun } from './report/runs.ts';
export type { RecordedStep } from './report/recorder.ts';
export { generateLeads, INDUSTRIES, type GenerateOptions } from './leads/generate.ts';
export { readLeads, readLeadsCsv, readLeadsJson, type LeadFile, type RowError } from './leads/read-leads.ts';
export { decodeLeadFile, type Decoded } from './leads/decode.ts';
export { readScenarioFile, documentToGraph, ScenarioFileError, type ScenarioFile } from './scenario-file.ts';
export type * from './report/types.ts';
export * from './schemas.ts';
export { serveSimulations, answer as answerSimulation, type SimulationRequest, type SimulationResponse, type WorkerScope } from './worker-protocol.ts';
