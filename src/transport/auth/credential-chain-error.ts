/**
 * @module transport/auth/credential-chain-error
 * What to say when the AWS credential chain gives no credentials. The chain throws only its last link's error
 * ("Could not load credentials from any providers"), and the cause is an earlier link's: a profile whose
 * credential_process returned expired credentials read as a profile that does not exist. The chain's links say their
 * errors to its logger, so the logger here keeps them, and the message quotes the first that is a cause (not a link
 * that had nothing to go on). The files named are the ones the chain read (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE when set), and "add the profile" is said only when no file has it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The chain's last link's error: it says only that every link gave up. */
const GAVE_UP = /^Could not load credentials from any providers/;
/** A link's error that says it had nothing to go on there (no settings of its kind), not why credentials failed. */
const NOTHING_THERE = /skipping|inputs do not include|not specified|access disabled|could not be found|was not found|did not contain credential_process|is not configured with SSO|Could not resolve credentials using profile|Unable to find environment variable credentials|Could not load credentials from any providers/i;
/** How a link's error reaches the logger (@smithy's ProviderError says it at debug level). */
const LINK_ERROR = /^@smithy\/property-provider (?:->|\(!\)) ([\s\S]*)$/;
/** The chain's step to the instance or container role: its errors (a metadata service that did not answer) come after every file's. */
const REMOTE_STEP = /defaultProvider::remoteProvider/;

/**
 * A logger for the AWS credential chain that prints nothing (its warnings are said in the harness's own errors)
 * and keeps what the chain's links said of the current resolution: `begin` when a call asks, `said` after it failed.
 * Calls that overlap share one resolution (the chain is memoized), so what was said is cleared only when none is
 * in flight.
 */
export class ChainLogger {
  #said: string[] = [];
  #inFlight = 0;
  #remote = false;

  begin(): void {
    if (this.#inFlight++ === 0) {
      this.#said = [];
      this.#remote = false;
    }
  }

  end(): void {
    this.#inFlight--;
  }

  /** The links' errors of the files, SSO and credential_process steps, in the order they were said. */
  said(): readonly string[] {
    return this.#said;
  }

  debug(message: unknown): void {
    const text = String(message);
    if (REMOTE_STEP.test(text)) this.#remote = true;
    const linkError = LINK_ERROR.exec(text)?.[1];
    if (linkError !== undefined && !this.#remote && this.#said.length < 50) this.#said.push(linkError);
  }
  info(): void {}
  warn(): void {}
  error(): void {}
}

/** The words of the error that made the chain fail: its own, unless it only says every link gave up. */
function innermostWords(cause: unknown, said: readonly string[]): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (!GAVE_UP.test(message)) return message;
  return said.find((words) => !NOTHING_THERE.test(words)) ?? message;
}

/** A shared file the chain reads: where it is, and how a message names it. */
interface SharedFile {
  path: string;
  shown: string;
  /** The section names of a profile in this file: `[profile NAME]` or `[default]` in config, `[NAME]` in credentials. */
  kind: 'config' | 'credentials';
}

/** The config and credentials files the chain reads, as the AWS SDK picks them. */
function sharedFiles(env: NodeJS.ProcessEnv = process.env): SharedFile[] {
  const home = env.HOME || env.USERPROFILE || homedir();
  const file = (variable: string, name: string, kind: SharedFile['kind']): SharedFile =>
    env[variable] ? { path: env[variable]!, shown: `${env[variable]} (${variable})`, kind } : { path: join(home, '.aws', name), shown: `~/.aws/${name}`, kind };
  return [file('AWS_CONFIG_FILE', 'config', 'config'), file('AWS_SHARED_CREDENTIALS_FILE', 'credentials', 'credentials')];
}

/** The files of `files` that hold a profile named `profile` (a file that cannot be read holds none). */
function filesWithProfile(profile: string, files: readonly SharedFile[]): SharedFile[] {
  return files.filter((file) => {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      return false;
    }
    return text.split(/\r?\n/).some((line) => {
      const section = /^\s*\[\s*([^\]]*?)\s*\]/.exec(line)?.[1];
      if (section === undefined) return false;
      if (file.kind === 'credentials') return section === profile;
      return section.replace(/^profile\s+/, '') === profile && (section !== profile || profile === 'default');
    });
  });
}

/**
 * The profile the chain reads: --profile's (`profile`), else AWS_PROFILE's, which picks one as --profile does (the
 * chain then skips the AWS_* keys); `fromEnv` when it came from AWS_PROFILE, which a message names as such.
 */
export function profileAsked(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Pick<ChainFailure, 'profile' | 'fromEnv'> {
  const fromEnv = profile === undefined && env.AWS_PROFILE ? env.AWS_PROFILE : undefined;
  return { profile: profile ?? fromEnv, fromEnv: fromEnv !== undefined };
}

export interface ChainFailure {
  /** The profile asked for: --profile, or AWS_PROFILE (`fromEnv`). */
  profile: string | undefined;
  fromEnv: boolean;
  /** What the chain threw, and what its links said. */
  cause: unknown;
  said: readonly string[];
}

/** The message of a chain that gave no credentials: its innermost cause, then the fix for what that cause was. */
export function chainFailureMessage(failure: ChainFailure, env: NodeJS.ProcessEnv = process.env): string {
  const words = innermostWords(failure.cause, failure.said).trim().replace(/\.+$/, '');
  const { profile, fromEnv } = failure;
  if (!profile) return `No AWS credentials: ${words}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), pass --profile NAME, or use --auth bearer.`;
  const named = fromEnv ? `AWS_PROFILE=${profile}` : '--profile';
  const drop = fromEnv ? 'unset AWS_PROFILE' : 'drop --profile';
  const files = sharedFiles(env);
  const holding = filesWithProfile(profile, files);
  if (holding.length === 0) {
    return `No AWS credentials for profile ${profile}: ${words}. No profile ${profile} is in ${files.map((f) => f.shown).join(' or ')}: add it there (with ${named}, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are not used), or ${drop}.`;
  }
  // The profile is there: what the SDK said of it is the fix (refresh, log in), not whether it exists.
  const where = holding.map((f) => f.shown).join(' and ');
  if (GAVE_UP.test(words)) {
    return `No AWS credentials for profile ${profile}: ${words}. Profile ${profile}, in ${where}, holds nothing the AWS SDK makes credentials from (aws_access_key_id with aws_secret_access_key, credential_process, sso_* settings or role_arn): add them there, or ${drop}.`;
  }
  return `No AWS credentials for profile ${profile}: ${words}. That is the AWS SDK's word on profile ${profile}, in ${where}: refresh or fix its credentials as it says, or ${drop}.`;
}
