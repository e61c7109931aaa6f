/**
 * A connected kafkajs admin client that counts the requests it (and the state reader/writer) sends, so
 * plan and apply can report their round trips.
 */
import { Admin, Kafka, logLevel, type LogEntry } from 'kafkajs';
import { KafkaConnectionOptions, kafkaJsConfig } from './connection';
import { compareCodeUnits } from './model';

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
    return Object.fromEntries([...this.counts].sort(([a], [b]) => compareCodeUnits(a, b)));
  }

  /** A copy of the current counts, to measure one phase with {@link since}. */
  public snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Requests since a snapshot, by API name. */
  public since(snapshot: ReadonlyMap<string, number>): { total: number; byApi: Record<string, number> } {
    const byApi: Record<string, number> = {};
    let total = 0;
    for (const [k, v] of [...this.counts].sort(([a], [b]) => compareCodeUnits(a, b))) {
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
  public static async connect(connection: KafkaConnectionOptions, options: LiveKafkaOptions = {}): Promise<LiveKafka> {
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

  private constructor(public readonly kafka: Kafka, public readonly connection: KafkaConnectionOptions) {
    this.admin = kafka.admin();
    this.count(this.admin as unknown as Instrumented);
  }

  private narrowed = false;

  /**
   * kafkajs refreshes the metadata of *every* topic before each admin call (DescribeConfigs, DescribeAcls, ...)
   * unless its admin has "target topics": on a cluster with 10,000 topics each refresh is a large response.
   * Reading the offsets of one existing topic makes it the admin's only target topic, so later refreshes are
   * small (topic listings still read everything; kafkajs drops deleted topics from its targets). Tries the
   * given topics in order; a missing topic is skipped.
   */
  public async narrowMetadataRefresh(candidates: readonly string[]): Promise<void> {
    if (this.narrowed) return;
    for (const topic of candidates) {
      try {
        await this.admin.fetchTopicOffsets(topic);
        this.narrowed = true;
        return;
      } catch {
        // missing or not readable: try the next one
      }
    }
  }

  /**
   * Counts the requests of another client of this connection (the state reader and writer), under
   * `<prefix><apiName>` (e.g. `state:Fetch`), so admin round trips stay apart.
   */
  public count(client: Instrumented, prefix = ''): void {
    client.on(client.events.REQUEST, (e) => this.requests.add(`${prefix}${e.payload.apiName}`));
  }

  public async disconnect(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
