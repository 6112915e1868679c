/**
 * The credential rule, once for the package: which names say that a value is a
 * credential, which values are credentials whatever their name, and how a message hides
 * them. A credential belongs in a Secret; it must never be rendered into a pod spec or a
 * ConfigMap, nor printed by a refusal.
 */

/**
 * Words that make a name a credential, alone or at the end of a word (`PGPASSWORD`,
 * `DB_SECRET`, `GHTOKEN`); not at the start of a longer word (`PASSWORDLESS`,
 * `SECRETARY`, `MAX_TOKENS` are not credentials).
 */
const CREDENTIAL_WORDS = [
    "ACCESSKEY",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PASSPHRASE",
    "PASSWD",
    "PASSWORD",
    "PASSWORDS",
    "PRIVATEKEY",
    "SECRET",
    "SECRETKEY",
    "SECRETS",
    "TOKEN",
];
/** Two-word credentials anywhere in a name (`AWS_ACCESS_KEY_ID`, `API_KEY_V2`). */
const CREDENTIAL_PAIRS = [
    ["ACCESS", "KEY"],
    ["API", "KEY"],
    ["PRIVATE", "KEY"],
    ["SECRET", "KEY"],
];
/** Last words that make a multi-word name a credential (`DB_PASS`, `REDIS_AUTH`, `JWT_SIGNING_KEY`, `MYSQL_PWD`). */
const CREDENTIAL_LAST_WORDS = ["AUTH", "KEY", "PASS", "PWD"];
/** Whole names that are credentials on their own. */
const CREDENTIAL_NAMES = ["AUTH", "PASS", "PGPASS"];
/** Names that end like a credential but are not one: the shell's working directories. */
const NOT_CREDENTIALS = ["OLDPWD", "PWD"];
/**
 * A last word that makes the value a location or a name, not the credential itself
 * (`POSTGRES_PASSWORD_FILE`, `TLS_SECRET_NAME`, `secretEnv`, `secretKeyRef`).
 */
const REFERENCE_WORDS = ["DIR", "ENV", "FILE", "NAME", "NAMES", "PATH", "REF", "REFS"];

/** The words of a name, upper case: `dbPassword` → DB, PASSWORD; `API_KEY` → API, KEY. */
export function nameWords(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w !== "")
        .map((w) => w.toUpperCase());
}

function hasCredentialWord(words: readonly string[]): boolean {
    if (words.some((word) => CREDENTIAL_WORDS.some((credential) => word.endsWith(credential)))) {
        return true;
    }
    return words.some((word, i) => CREDENTIAL_PAIRS.some(([first, second]) => word === first && words[i + 1] === second));
}

/**
 * True when a name says that its value is a credential: a word PASSWORD, PASSWD,
 * PASSPHRASE, SECRET(S), TOKEN, CREDENTIAL(S), APIKEY, ACCESSKEY, SECRETKEY or PRIVATEKEY,
 * alone or ending a word (`PGPASSWORD`, `GHTOKEN`); API, ACCESS, PRIVATE or SECRET followed
 * by KEY (`AWS_ACCESS_KEY_ID`); PGPASS, PASS or AUTH alone; or a last word PASS, AUTH, KEY
 * or PWD (`DB_PASS`, `REDIS_AUTH`, `JWT_SIGNING_KEY`, `ENCRYPTION_KEY`, `MYSQL_PWD`). Not a
 * credential: a name whose last word is FILE, PATH, DIR, NAME, ENV or REF (it says where
 * a credential is), a credential word starting a longer word (`PASSWORDLESS_LOGIN`,
 * `SECRETARY`, `MAX_TOKENS`), and the shell's PWD and OLDPWD.
 */
export function looksLikeCredential(name: string): boolean {
    if (typeof name !== "string") {
        return false;
    }
    const words = nameWords(name);
    if (words.length === 0) {
        return false;
    }
    const joined = words.join("_");
    if (NOT_CREDENTIALS.includes(joined)) {
        return false;
    }
    if (words.length > 1 && REFERENCE_WORDS.includes(words[words.length - 1])) {
        return false;
    }
    if (CREDENTIAL_NAMES.includes(joined) || hasCredentialWord(words)) {
        return true;
    }
    return words.length > 1 && CREDENTIAL_LAST_WORDS.includes(words[words.length - 1]);
}

/** `password=…` (and its usual spellings) as a query or connection-string parameter. */
const PASSWORD_PARAMETER = /(?:^|[?&;\s])(?:password|passwd|pwd|pass|sslpassword|secret|token|access_token|api_key|apikey)=(?!&|;|$)/i;

/**
 * True when a value is itself a credential, whatever its name: a connection string with
 * a password in its userinfo (`postgres://app:pw@db/x`) or a `password=` (`pwd=`,
 * `token=`, …) parameter (`jdbc:postgresql://db/x?password=pw`, `Server=db;Password=pw`).
 */
export function containsCredential(value: unknown): boolean {
    return typeof value === "string" && (hasUrlPassword(value) || PASSWORD_PARAMETER.test(value));
}

/**
 * True for `scheme://user:password@host`, userinfo with a password part. One pass: a
 * regular expression that may start its scheme at every position takes quadratic time,
 * minutes on a 600 KB value.
 */
function hasUrlPassword(value: string): boolean {
    for (let at = value.indexOf("://"); at >= 0; at = value.indexOf("://", at + 3)) {
        if (at === 0 || !URL_SCHEME_CHAR.test(value[at - 1])) {
            continue;
        }
        let end = at + 3;
        while (end < value.length && !URL_AUTHORITY_END.includes(value[end])) {
            end++;
        }
        if (value[end] === "@" && value.slice(at + 3, end).includes(":")) {
            return true;
        }
    }
    return false;
}

const URL_SCHEME_CHAR = /[a-z0-9+.-]/i;
const URL_AUTHORITY_END = "/?#@ \t\n\r\f\v";

/** The text that replaces a hidden value in messages. */
export const REDACTED = "[secret]";

/**
 * A text with every URL userinfo (up to the authority's last `@`), every scheme-less
 * `user:password@host` and every credential parameter's value replaced by `[secret]`:
 * `postgres://app:pw@db/x` → `postgres://[secret]@db/x`, `admin:pw@db` → `[secret]@db`.
 */
export function redactText(text: string): string {
    return text
        // Userinfo runs to the last `@` of the authority: an unencoded `@` in a password
        // (`https://app:p@ss@db`) must not leave the password's tail behind.
        .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s"]*@/gi, `$1${REDACTED}@`)
        // `user:password@host` without a scheme (a host written with its credentials).
        .replace(/(^|[\s",=(])[A-Za-z0-9._%+~-]+:[^/?#\s"]*@(?=[A-Za-z0-9[])/g, `$1${REDACTED}@`)
        .replace(/((?:^|[?&;\s"])(?:password|passwd|pwd|pass|sslpassword|secret|token|access_token|api_key|apikey)=)[^&;\s"]*/gi, `$1${REDACTED}`);
}

/**
 * True when a property path passes through a credential-looking name: an
 * environment-style segment (upper case, `env.DB_PASSWORD`, `secretEnv.REDIS_AUTH.key`)
 * that {@link looksLikeCredential}, or any segment containing PASSWORD, SECRET, TOKEN, …
 * (`options.apiToken`). Argument names such as `createKmsKey` are not credentials: the
 * last-word rules (KEY, AUTH, PASS, PWD) apply to environment-style names only. Paths
 * through `secretEnv` or `configMapEnv` hold references (a Secret's name and key), not
 * credentials.
 */
export function isCredentialPath(path: string): boolean {
    const parts = path.split(/[.[\]]+/).filter((part) => part !== "" && !/^\d+$/.test(part));
    // Below secretEnv and configMapEnv are references (an object's name and key), not
    // values; but an entry itself (`secretEnv.DB_PASSWORD`) may be a credential typed where
    // its reference belongs, so it is judged by its name.
    const reference = parts.findIndex((part) => REFERENCE_FIELDS.includes(part));
    if (reference >= 0) {
        return reference === parts.length - 2 && looksLikeCredential(parts[parts.length - 1]);
    }
    return parts.some((part) => (/^[A-Z0-9_]+$/.test(part) ? looksLikeCredential(part) : containsCredentialWord(part)));
}

/** Fields whose entries name where a value is kept, never the value itself. */
const REFERENCE_FIELDS = ["configMapEnv", "secretEnv", "secretKeyRef", "configMapKeyRef"];

function containsCredentialWord(name: string): boolean {
    const words = nameWords(name);
    if (words.length > 1 && REFERENCE_WORDS.includes(words[words.length - 1])) {
        return false;
    }
    return hasCredentialWord(words);
}

/** HTTP headers whose value is a credential, whatever it looks like. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"];

/** True for an HTTP header name that carries a credential (`Authorization`, `Cookie`, `X-Api-Key`). */
export function isCredentialHeader(name: string): boolean {
    return typeof name === "string" && (CREDENTIAL_HEADERS.includes(name.toLowerCase()) || looksLikeCredential(name));
}

/** Option names that take a credential though the name rule does not say so (Redis's `--requirepass`, `--masterauth`). */
const CREDENTIAL_OPTIONS = ["AUTH", "MASTERAUTH", "MASTERPASS", "PASS", "PASSWD", "PWD", "REQUIREPASS"];

/** True for an option or variable name that takes a credential: `password`, `--token`, `PGPASSWORD`, `requirepass`. */
function isCredentialOption(name: string): boolean {
    const bare = name.replace(/^-+/, "");
    return bare !== "" && (looksLikeCredential(bare) || CREDENTIAL_OPTIONS.includes(bare.toUpperCase()));
}

/**
 * True when a value of a command line holds a literal credential: a credential-looking
 * `--option=value` or shell assignment `NAME=value` (`--password=pw`, `--token=abc`,
 * `--requirepass=pw`, `PGPASSWORD=pw psql`), a credential option followed by its value
 * as the next word (`--requirepass pw`), or what {@link containsCredential} finds. Not a
 * credential: an empty value, a value read from the environment or a command (`$PGPASSWORD`,
 * `$(cat /run/secrets/pw)`), and a name that says where the credential is
 * (`--password-file=/run/secrets/pw`, `PASSWORD_FILE=…`).
 */
export function commandHoldsCredential(text: unknown): boolean {
    if (typeof text !== "string") {
        return false;
    }
    if (containsCredential(text)) {
        return true;
    }
    const words = text.split(/[\s;&|()'"`]+/).filter((w) => w !== "");
    return words.some((word, i) => {
        const equals = word.indexOf("=");
        if (equals > 0) {
            return isCredentialOption(word.slice(0, equals)) && isLiteralCredential(word.slice(equals + 1));
        }
        const next = words[i + 1];
        return word.startsWith("--") && isCredentialOption(word) && next !== undefined && !next.startsWith("-") && isLiteralCredential(next);
    });
}

/** True for a non-empty value that is not read from elsewhere (`$VAR`, `${VAR}`, `$(VAR)`). */
export function isLiteralCredential(value: string): boolean {
    return value !== "" && !value.startsWith("$");
}

/**
 * True for a `--option` word that takes a credential as the next word of a command
 * (`["redis-server", "--requirepass", "pw"]`).
 */
export function isCredentialFlag(word: unknown): boolean {
    return typeof word === "string" && word.startsWith("--") && !word.includes("=") && isCredentialOption(word);
}

/**
 * True when an annotation key names a credential: the part after its prefix
 * (`example.com/db-password`) looks like a credential and ends with the credential word,
 * so that keys naming where secrets are injected (`vault.hashicorp.com/agent-inject-secret-db`)
 * are not taken for one.
 */
export function isCredentialAnnotationKey(key: string): boolean {
    const name = key.slice(key.lastIndexOf("/") + 1);
    const words = nameWords(name);
    if (!looksLikeCredential(name) || words.length === 0) {
        return false;
    }
    const last = words[words.length - 1];
    return looksLikeCredential(last) || CREDENTIAL_LAST_WORDS.includes(last) || CREDENTIAL_PAIRS.some(([, second]) => second === last);
}
