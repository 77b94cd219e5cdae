/**
 * Runs a timer function on its NCRONTAB schedule (or a faster interval for demos and tests). Like the host's
 * singleton lock, a run never overlaps the previous one.
 */
import { Cron } from 'croner';
import type { TimerRegistration } from '../functions/lib/functionRegistration.js';
import type { LogSink } from './httpBridge.js';
import { invocationContext } from './httpBridge.js';

export class TimerRunner {
  private job: Cron | undefined;
  private interval: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  /** Runs finished (with or without an error): tests wait for a run that started after an action. */
  completed = 0;

  constructor(
    private readonly registration: TimerRegistration,
    private readonly log: LogSink,
    /** Overrides the schedule with a fixed interval. */
    private readonly everyMs?: number,
  ) {}

  start(): void {
    if (this.everyMs) this.interval = setInterval(() => void this.runNow(), this.everyMs);
    else
      this.job = new Cron(
        this.registration.schedule,
        // Day AND day-of-week, as Azure's NCrontab reads them (docs/security.md, item 7).
        { mode: '6-part', timezone: 'UTC', domAndDow: true },
        () => void this.runNow(),
      );
  }

  /** Runs the function now unless a run is in progress (then waits for that one). */
  runNow(): Promise<void> {
    this.current ??= (async () => {
      const timer = {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: '', next: '', lastUpdated: new Date().toISOString() },
      };
      try {
        await this.registration.handler(timer, invocationContext(this.registration.name, this.log));
      } catch (err) {
        this.log(`[error] ${this.registration.name}: ${(err as Error).message}`);
      }
    })().finally(() => {
      this.current = undefined;
      this.completed++;
    });
    return this.current;
  }

  async stop(): Promise<void> {
    this.job?.stop();
    if (this.interval) clearInterval(this.interval);
    await this.current;
  }
}
