import { describe, expect, it } from 'vitest';
import { forbiddenRange, guardTarget, targetPolicyFromEnv, TargetRefused } from './target-guard.ts';

const closed = { allowPrivate: false, allowHosts: [] };

describe('webhook target guard', () => {
  it.each([
    ['127.0.0.1', 'a loopback'],
    ['127.8.9.10', 'a loopback'],
    ['10.1.2.3', 'a private'],
    ['172.16.0.1', 'a private'],
    ['172.31.255.255', 'a private'],
    ['192.168.10.20', 'a private'],
    ['169.254.169.254', 'a link-local'],
    ['100.64.0.1', 'a shared (carrier-grade NAT)'],
    ['0.0.0.0', 'an unspecified'],
    ['224.0.0.1', 'a multicast'],
    ['::1', 'a loopback'],
    ['::', 'an unspecified'],
    ['fe80::1', 'a link-local'],
    ['fd00:ec2::254', 'a unique-local'],
    ['fc00::1', 'a unique-local'],
    ['::ffff:127.0.0.1', 'a loopback'],
    ['::ffff:a9fe:a9fe', 'a link-local'],
    ['64:ff9b::a00:1', 'a private'],
    ['ff02::1', 'a multicast'],
  ])('refuses %s as %s address', (address, label) => {
    expect(forbiddenRange(address)).toBe(label);
  });

  it.each(['8.8.8.8', '172.32.0.1', '203.0.114.1', '2606:4700:4700::1111', '64:ff9b::808:808'])('lets the public address %s through', (address) => {
    expect(forbiddenRange(address)).toBeNull();
  });

  it('refuses address literals and other schemes before any lookup; the operator can allow them', () => {
    expect(() => guardTarget(new URL('http://[::1]:8080/x'), closed)).toThrow(TargetRefused);
    expect(() => guardTarget(new URL('http://0x7f.1/'), closed)).toThrow(/refused target 127\.0\.0\.1: a loopback address/);
    expect(() => guardTarget(new URL('file:///etc/passwd'), closed)).toThrow(/only http and https/);
    expect(guardTarget(new URL('http://127.0.0.1/'), { allowPrivate: true, allowHosts: [] })).toBeUndefined();
    expect(guardTarget(new URL('http://crm.internal/'), { allowPrivate: false, allowHosts: ['crm.internal'] })).toBeUndefined();
    expect(guardTarget(new URL('https://hooks.example.com/'), closed)).toEqual(expect.any(Function));
  });

  it('reads WEBHOOK_ALLOW_PRIVATE and WEBHOOK_ALLOW_HOSTS', () => {
    expect(targetPolicyFromEnv({})).toEqual(closed);
    expect(targetPolicyFromEnv({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HOSTS: ' CRM.internal , 10.0.0.5,' })).toEqual({ allowPrivate: true, allowHosts: ['crm.internal', '10.0.0.5'] });
  });
});
