import { join, resolve } from 'node:path'
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Set: Kysely over a pg Pool. Unset: the embedded PGlite in DATA_DIR. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  /**
   * The key file that seals responses while they are held until the week's mix; unset: holding-key.json in
   * DATA_DIR. Outside the database on purpose: every API process reads the same file (README, "Threat model").
   */
  HOLDING_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  PG_POOL_MAX: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), { default: 'info' }),
  /** The zone in which a wave's open and close dates and a response's ISO week are reckoned. */
  STUDY_TIME_ZONE: Type.String({ minLength: 1, default: 'Europe/Oslo' }),
  /**
   * Uploads one tablet may send per minute (counted in the database, so shared by every API process); more
   * get 429 with Retry-After. A tablet back online sends its backlog at this pace.
   */
  INTAKE_UPLOADS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 100_000, default: 120 }),
  /**
   * New responses one tablet may send in a study day: more get 429 daily_limit until the day ends. The default
   * is what one tablet could take if respondents followed each other without a pause for 24 hours, each taking
   * the instrument's shortest plausible time (3 minutes: consent, background and the violence items at a few
   * seconds a screen), so no real site reaches it, while a stolen token cannot fill a wave with fakes.
   */
  INTAKE_UPLOADS_PER_DAY: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 480 }),
  /** A response with fewer answered questions is refused (422 too_few_answers): an empty one counts for nothing. */
  INTAKE_MIN_ANSWERED: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  /** auto: demo data on the first start of the embedded database only. */
  DEMO_DATA: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], { default: 'auto' }),
  /**
   * Strict-Transport-Security max-age in seconds, on every answer; 0 (the default) sends none. Set it only where
   * the API is reached over https (behind a TLS-terminating proxy): up to two years, 31536000 is the usual.
   */
  HSTS_MAX_AGE: Type.Integer({ minimum: 0, maximum: 63_072_000, default: 0 }),
  /** A wave is not opened while the oldest `checked` date of the help resources is older than this many days. */
  HELP_DATA_MAX_AGE_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
})

export type Config = Static<typeof ConfigSchema>

/** Where the holding key file is: HOLDING_KEY_FILE, or holding-key.json in DATA_DIR. */
export function holdingKeyFile (config: Pick<Config, 'DATA_DIR' | 'HOLDING_KEY_FILE'>): string {
  return resolve(config.HOLDING_KEY_FILE ?? join(config.DATA_DIR, 'holding-key.json'))
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const ENV_KEYS = Object.keys(ConfigSchema.properties)

/** Reads and validates the configuration once; a bad value throws a ConfigError naming the variable. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {}
  for (const key of ENV_KEYS) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const candidate: unknown = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, { ...raw }))
  if (!Value.Check(ConfigSchema, candidate)) {
    const problems = [...Value.Errors(ConfigSchema, candidate)]
    const lines = problems.map((problem) => `${problem.path.slice(1)}=${JSON.stringify(raw[problem.path.slice(1)] ?? '')}: ${problem.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  assertTimeZone(candidate.STUDY_TIME_ZONE)
  return candidate
}

function assertTimeZone (zone: string): void {
  try {
    Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    throw new ConfigError(`Invalid configuration:\n  STUDY_TIME_ZONE=${JSON.stringify(zone)}: not an IANA time zone`)
  }
}
