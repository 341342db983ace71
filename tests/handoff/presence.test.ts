import { PRESENCE_TIMEOUT_MS, StaffPresence } from '../../handoff/presence';
import { ManualClock } from '../storage/manualClock';

describe('staff presence', () => {
  it('when nobody was seen, then nobody is present', () => {
    expect(new StaffPresence(new ManualClock(new Date())).anyone()).toBe(false);
  });

  it('when a member was seen, then they are present until the timeout passes without another sighting', () => {
    const clock = new ManualClock(new Date('2025-03-04T10:00:00Z'));
    const presence = new StaffPresence(clock);
    presence.seen('ana');
    clock.advance(PRESENCE_TIMEOUT_MS - 1);
    expect(presence.anyone()).toBe(true);
    presence.seen('ana'); // a heartbeat
    clock.advance(PRESENCE_TIMEOUT_MS - 1);
    expect(presence.anyone()).toBe(true);
    clock.advance(1);
    expect(presence.anyone()).toBe(false);
  });

  it('when one of two members leaves, then the other keeps the team present', () => {
    const clock = new ManualClock(new Date('2025-03-04T10:00:00Z'));
    const presence = new StaffPresence(clock);
    presence.seen('ana');
    clock.advance(PRESENCE_TIMEOUT_MS / 2);
    presence.seen('bob');
    clock.advance(PRESENCE_TIMEOUT_MS / 2);
    expect(presence.anyone()).toBe(true);
    clock.advance(PRESENCE_TIMEOUT_MS / 2);
    expect(presence.anyone()).toBe(false);
  });
});
