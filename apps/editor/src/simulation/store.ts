// The simulation overlay's state, beside the editor's store rather than in it: the canvas reads
// counts and the replay from here, and a drag (the editor's busiest update) runs none of these
// selectors. Runs go through a SimulationClient (a web worker in the browser, the same handler in
// the test's own thread).
import type { InputIssue, LeadTrace, PersonaInput, SimulationReport } from '@nurtureflow/simulator';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { SimulationCancelled, SimulationFailed, type LeadsLoaded, type SimulationClient } from './client.ts';
import { overlayOf, replayFrames, type CanvasOverlay, type ReplayFrame } from './overlay.ts';
import type { LeadRow, LeadSource, RunInput } from './protocol.ts';
import { defaultPersonas, defaultSettings, entryGraph, leadSource, runInput, settingIssues, type RunTarget, type SettingIssue, type SimulationSettings } from './settings.ts';

/** One finished run as the panel and the canvas show it. */
export interface RunView {
  label: string;
  scenarioId: string;
  report: SimulationReport;
  overlay: CanvasOverlay;
  elapsedMs: number;
  wallMs: number;
  /** What was run and over which leads, so a replay runs one of its leads again. */
  input: RunInput;
  source: LeadSource;
}

/** A lead followed step by step on the canvas. */
export interface Replay {
  leadId: string;
  trace: LeadTrace;
  frames: ReplayFrame[];
  index: number;
  playing: boolean;
}

export type SimulationStatus = 'idle' | 'preparing' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SimulationState {
  open: boolean;
  settings: SimulationSettings;
  /** The file chosen for sample leads, and what the worker read from it. */
  file: { name: string; bytes: ArrayBuffer } | null;
  leads: LeadsLoaded | null;
  status: SimulationStatus;
  /** Which run is under way (`b` in the second half of a comparison) and how far. */
  progress: { run: 'a' | 'b'; done: number; total: number } | null;
  failure: { message: string; issues: (InputIssue | SettingIssue)[] } | null;
  /** The run on the canvas, and the one it is compared with. */
  a: RunView | null;
  b: RunView | null;
  replay: Replay | null;
  setOpen(open: boolean): void;
  update(patch: Partial<SimulationSettings>): void;
  updatePersona(index: number, patch: Partial<PersonaInput>): void;
  resetPersonas(): void;
  chooseFile(file: { name: string; bytes: ArrayBuffer } | null): Promise<void>;
  /** Runs the target over the sample leads; its counts go on the canvas. */
  run(target: RunTarget): Promise<void>;
  /** Runs two targets over the same leads and seed, side by side. */
  compare(a: RunTarget, b: RunTarget): Promise<void>;
  cancel(): void;
  /** Forgets the results: the canvas is drawn as before. */
  clear(): void;
  searchLeads(query: string): Promise<{ leads: LeadRow[]; total: number }>;
  /** Runs one lead of the run on the canvas again with its trace, and steps through its path. */
  openReplay(leadId: string): Promise<void>;
  replayTo(index: number): void;
  replayStep(delta: number): void;
  setPlaying(playing: boolean): void;
  closeReplay(): void;
}

/** The simulation overlay's store, talking to the worker through `client`. */
export function createSimulationStore(client: SimulationClient, initial: Partial<SimulationSettings> = {}): StoreApi<SimulationState> {
  return createStore<SimulationState>()((set, get) => {
    const fail = (e: unknown) => {
      if (e instanceof SimulationCancelled) return set({ status: 'cancelled', progress: null });
      const issues = e instanceof SimulationFailed ? e.issues : [];
      set({ status: 'failed', progress: null, failure: { message: e instanceof Error ? e.message : String(e), issues } });
    };

    /** Checks the settings and has the worker hold the leads; null (with the failure set) when it cannot. */
    const prepare = async (target: RunTarget): Promise<LeadSource | null> => {
      const s = get();
      const issues = settingIssues(s.settings);
      if (issues.length > 0) {
        set({ status: 'failed', failure: { message: issues.map((i) => `${i.path}: ${i.message}`).join('\n'), issues } });
        return null;
      }
      if (client.busy) client.cancel();
      set({ status: 'preparing', failure: null, progress: null, replay: null });
      const source = leadSource(s.settings, entryGraph(target).productLine, s.file);
      const leads = await client.leads(source);
      set({ leads });
      if (leads.count === 0) {
        set({ status: 'failed', failure: { message: 'no sample leads to run', issues: [{ path: 'leads', message: 'no sample leads to run' }] } });
        return null;
      }
      return source;
    };

    const runOne = async (target: RunTarget, source: LeadSource, which: 'a' | 'b'): Promise<RunView> => {
      const input = runInput(get().settings, target);
      set({ status: 'running', progress: { run: which, done: 0, total: get().leads?.count ?? 0 } });
      const result = await client.run(input, { onProgress: (done, total) => set({ progress: { run: which, done, total } }) });
      const scenarioId = entryGraph(target).scenarioId;
      return { label: target.label, scenarioId, report: result.report, overlay: overlayOf(result.report, scenarioId), elapsedMs: result.elapsedMs, wallMs: result.wallMs, input, source };
    };

    return {
      open: false,
      settings: { ...defaultSettings(), ...initial },
      file: null,
      leads: null,
      status: 'idle',
      progress: null,
      failure: null,
      a: null,
      b: null,
      replay: null,

      setOpen(open) {
        set({ open });
      },
      update(patch) {
        set({ settings: { ...get().settings, ...patch } });
      },
      updatePersona(index, patch) {
        const personas = get().settings.personas.map((p, i) => (i === index ? { ...p, ...patch } : p));
        set({ settings: { ...get().settings, personas } });
      },
      resetPersonas() {
        set({ settings: { ...get().settings, personas: defaultPersonas() } });
      },

      async chooseFile(file) {
        set({ file, leads: null, failure: null, settings: { ...get().settings, source: file ? 'file' : 'generate' } });
        if (file === null) return;
        try {
          if (client.busy) client.cancel();
          set({ status: 'preparing' });
          set({ leads: await client.leads({ kind: 'file', name: file.name, bytes: file.bytes }), status: 'idle' });
        } catch (e) {
          fail(e);
        }
      },

      async run(target) {
        try {
          const source = await prepare(target);
          if (source === null) return;
          const a = await runOne(target, source, 'a');
          set({ a, b: null, status: 'done', progress: null });
        } catch (e) {
          fail(e);
        }
      },

      async compare(ta, tb) {
        try {
          const source = await prepare(ta);
          if (source === null) return;
          const a = await runOne(ta, source, 'a');
          const b = await runOne(tb, source, 'b');
          set({ a, b, status: 'done', progress: null });
        } catch (e) {
          fail(e);
        }
      },

      cancel() {
        client.cancel();
        set({ status: 'cancelled', progress: null, leads: null });
      },

      clear() {
        if (client.busy) client.cancel();
        set({ a: null, b: null, replay: null, status: 'idle', progress: null, failure: null });
      },

      async searchLeads(query) {
        const a = get().a;
        if (a === null) return { leads: [], total: 0 };
        await client.leads(a.source);
        return client.search(query);
      },

      async openReplay(leadId) {
        const a = get().a;
        if (a === null) return;
        try {
          await client.leads(a.source);
          const result = await client.run({ ...a.input, trace: [leadId] }, { only: [leadId] });
          const trace = result.report.traces[0];
          if (trace === undefined) throw new Error(`no lead "${leadId}" in this run`);
          const frames = replayFrames(trace, a.scenarioId);
          set({ replay: { leadId, trace, frames, index: 0, playing: false } });
        } catch (e) {
          fail(e);
        }
      },

      replayTo(index) {
        const r = get().replay;
        if (r === null || r.frames.length === 0) return;
        const i = Math.max(0, Math.min(r.frames.length - 1, index));
        set({ replay: { ...r, index: i, playing: r.playing && i < r.frames.length - 1 } });
      },
      replayStep(delta) {
        const r = get().replay;
        if (r !== null) get().replayTo(r.index + delta);
      },
      setPlaying(playing) {
        const r = get().replay;
        if (r === null) return;
        // Playing from the last step starts again from the first.
        set({ replay: { ...r, playing, index: playing && r.index >= r.frames.length - 1 ? 0 : r.index } });
      },
      closeReplay() {
        set({ replay: null });
      },
    };
  });
}
