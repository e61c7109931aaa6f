/**
 * A connected kafkajs admin client that counts the requests it (and the state reader/writer) sends, so
 * plan and apply can report their round trips.
 */
import { Admin, Kafka, logLevel, type LogEntry } from 'kafkajs';
import { ConnectionOptions, kafkaJsConfig } from './connection';

/** Counts protocol requests by API name. */
export class RequestCounter {
  private readonly counts = new Map<string, number>();

  /** Records one request. */
  public add(apiName: string): void {
    this.counts.set(apiName, (this.counts.get(apiName) ?? 0) + 1);
  }

  /** Total requests so far. */
  public get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Requests by API name, sorted by name. */
  public byApi(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** A copy of the current counts, to measure one phase with {@link since}. */
  public snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Requests since a snapshot, by API name. */
  public since(snapshot: ReadonlyMap<string, number>): { total: number; byApi: Record<string, number> } {
    const byApi: Record<string, number> = {};
    let total = 0;
    for (const [k, v] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      const d = v - (snapshot.get(k) ?? 0);
      if (d > 0) {
        byApi[k] = d;
        total += d;
      }
    }
    return { total, byApi };
  }
}

/** Options of {@link LiveKafka.connect}. */
export interface LiveKafkaOptions {
  /** Receives kafkajs log lines (warnings and errors). @default - discarded */
  readonly log?: (line: string) => void;
}

/** Anything with kafkajs' instrumentation events (admin, producer, consumer). */
interface Instrumented {
  on(event: string, listener: (e: { payload: { apiName: string } }) => void): unknown;
  events: { REQUEST: string };
}

/** A kafkajs client and its connected admin. Call {@link disconnect} when done. */
export class LiveKafka {
  /** Connects an admin client. */
  public static async connect(connection: ConnectionOptions, options: LiveKafkaOptions = {}): Promise<LiveKafka> {
    const log = options.log;
    const kafka = new Kafka({
      ...kafkaJsConfig(connection),
      logLevel: log ? logLevel.WARN : logLevel.NOTHING,
      logCreator: () => (entry: LogEntry) => {
        if (log) log(`kafkajs ${entry.namespace}: ${entry.log.message}${entry.log.error ? ` (${String(entry.log.error)})` : ''}`);
      },
    });
    const live = new LiveKafka(kafka, connection);
    await live.admin.connect();
    return live;
  }

  public readonly admin: Admin;
  public readonly requests = new RequestCounter();

  private constructor(public readonly kafka: Kafka, public readonly connection: ConnectionOptions) {
    this.admin = kafka.admin();
    this.count(this.admin as unknown as Instrumented);
  }

  /** Counts the requests of another client of this connection (state producer/consumer). */
  public count(client: Instrumented): void {
    client.on(client.events.REQUEST, (e) => this.requests.add(e.payload.apiName));
  }

  public async disconnect(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
