import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, standardLabels } from "../components";
import type { ScenarioBase } from "./base";

/**
 * Password rotation for postgres-ebs. PostgreSQL reads `POSTGRES_PASSWORD` only when initdb
 * creates the cluster, so a new password in the Secret alone never reaches the database
 * (and the backup job, which reads the Secret, can no longer log in). While the stack
 * config holds the previous password (`dbPreviousPassword`), the stack runs a Job that
 * logs in with it and sets the role's password to the one in the Secret with
 * `ALTER ROLE … PASSWORD`; the StatefulSet waits for that Job.
 *
 * No password is ever in a command line, an argument or a literal env value: the Job's
 * container reads both from Secrets (`secretKeyRef`), psql reads its login password from
 * `PGPASSWORD` in its environment and the new one with `\getenv`, and the session turns
 * statement logging off before the ALTER ROLE, so the server log does not get it either.
 */

/** Name of the Secret with the previous password, present only while rotating. */
export const ROTATION_SECRET_NAME = "postgres-password-rotation";

/** Key of the previous password in {@link ROTATION_SECRET_NAME}. */
export const PREVIOUS_PASSWORD_KEY = "previous-password";

/** Name of the Job that changes the password inside the database. */
export const ROTATION_JOB_NAME = "postgres-password-rotation";

/** The role whose password rotates: the superuser the image creates and the backup logs in as. */
export const ROTATED_ROLE = "postgres";

/**
 * The shell script of the rotation Job (`sh -c`). It reads `PGHOST`, `PGPORT`, `PGUSER`,
 * `PGDATABASE`, `NEW_PASSWORD` and `PREVIOUS_PASSWORD` from its environment and:
 * 1. exits 0 when the role already logs in with the new password (a re-run, or a
 *    rotation already done by hand): nothing to change;
 * 2. exits 1, naming neither password, when the role logs in with neither (or the server
 *    is unreachable): see "Rotating credentials" in the README;
 * 3. otherwise logs in with the previous password, turns statement logging off for the
 *    session (the role is a superuser), reads the new password with `\getenv` and runs
 *    `ALTER ROLE :"role" PASSWORD :'new_password'` (psql quotes both: any character is
 *    safe), then checks that the new password logs in.
 * The SQL goes to psql through a pipe, not a file, so the root file system stays read-only.
 */
export const PASSWORD_ROTATION_SCRIPT = [
    "set -u",
    "export PGCONNECT_TIMEOUT=10",
    'logs_in() { PGPASSWORD="$1" psql --no-password --no-psqlrc --quiet --tuples-only --command="SELECT 1" >/dev/null 2>&1; }',
    'if logs_in "$NEW_PASSWORD"; then',
    '    echo "role $PGUSER already logs in with the password in Secret postgres-credentials: nothing to change"',
    "    exit 0",
    "fi",
    'if ! logs_in "$PREVIOUS_PASSWORD"; then',
    `    echo "role $PGUSER at $PGHOST:$PGPORT logs in neither with the password in Secret postgres-credentials nor with the one in Secret ${ROTATION_SECRET_NAME} (key ${PREVIOUS_PASSWORD_KEY}), or the server does not answer; see \\"Rotating credentials\\" in the README" >&2`,
    "    exit 1",
    "fi",
    'printf "%s\\n" "SET log_statement TO none;" "SET log_min_error_statement TO panic;" "SET log_min_duration_statement TO -1;" "\\getenv role PGUSER" "\\getenv new_password NEW_PASSWORD" "ALTER ROLE :\\"role\\" PASSWORD :\'new_password\';" |',
    '    PGPASSWORD="$PREVIOUS_PASSWORD" psql --no-password --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --file=- || exit 1',
    'if ! logs_in "$NEW_PASSWORD"; then',
    '    echo "role $PGUSER was altered but does not log in with the new password" >&2',
    "    exit 1",
    "fi",
    'echo "role $PGUSER now logs in with the password in Secret postgres-credentials"',
].join("\n");

/** What the rotation needs from the stack. */
export interface PasswordRotationArgs {
    /** The namespace of the database, its Secret and its Service. */
    readonly namespace: string;
    /** `metadata` as the scenario writes it (labels, the skip-await annotation when configured). */
    readonly metadata: ScenarioBase["metadata"];
    /** The options of every Kubernetes object of the scenario (its provider). */
    readonly objectOpts: pulumi.CustomResourceOptions;
    /** The PostgreSQL image: the server's own, so psql speaks its version. */
    readonly image: string;
    /** The client Service's DNS name. */
    readonly host: pulumi.Input<string>;
    /** The Secret with the new password (key `password`). */
    readonly credentials: k8s.core.v1.Secret;
    /** The password the database has now. */
    readonly previousPassword: pulumi.Output<string>;
}

/** The rotation's Secret and Job. */
export interface PasswordRotation {
    readonly secret: k8s.core.v1.Secret;
    readonly job: k8s.batch.v1.Job;
}

/** The env of the rotation container: connection settings as values, both passwords as Secret references. */
export function passwordRotationEnv(host: pulumi.Input<string>): k8s.types.input.core.v1.EnvVar[] {
    return [
        { name: "NEW_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "postgres-credentials" } } },
        { name: "PGDATABASE", value: "postgres" },
        { name: "PGHOST", value: host },
        { name: "PGPORT", value: "5432" },
        { name: "PGUSER", value: ROTATED_ROLE },
        { name: "PREVIOUS_PASSWORD", valueFrom: { secretKeyRef: { key: PREVIOUS_PASSWORD_KEY, name: ROTATION_SECRET_NAME } } },
    ];
}

/**
 * The options of the rotation Job: after both Secrets, and replaced (so run again) whenever
 * either Secret is replaced, which the provider does on any change of a Secret's data: a new
 * `dbPassword` or `dbPreviousPassword` runs the Job again, nothing else does. Its name is
 * fixed, so the old Job goes first.
 */
export function passwordRotationJobOptions(base: pulumi.CustomResourceOptions, credentials: k8s.core.v1.Secret, rotation: k8s.core.v1.Secret): pulumi.CustomResourceOptions {
    return { ...base, deleteBeforeReplace: true, dependsOn: [credentials, rotation], replaceWith: [credentials, rotation] };
}

/** Creates the previous-password Secret and the Job that moves the database to the new password. */
export function passwordRotation(args: PasswordRotationArgs): PasswordRotation {
    const secretLabels = standardLabels(ROTATION_SECRET_NAME, "credentials");
    const secret = new k8s.core.v1.Secret(
        ROTATION_SECRET_NAME,
        {
            metadata: args.metadata({ labels: secretLabels, name: ROTATION_SECRET_NAME, namespace: args.namespace }),
            stringData: { [PREVIOUS_PASSWORD_KEY]: args.previousPassword },
            type: "Opaque",
        },
        { ...args.objectOpts, additionalSecretOutputs: ["data", "stringData"] },
    );
    const labels = standardLabels(ROTATION_JOB_NAME, "password-rotation");
    const job = new k8s.batch.v1.Job(
        ROTATION_JOB_NAME,
        {
            metadata: args.metadata({ labels, name: ROTATION_JOB_NAME, namespace: args.namespace }),
            spec: {
                activeDeadlineSeconds: 600,
                backoffLimit: 4,
                template: {
                    metadata: { labels },
                    spec: {
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                command: ["sh", "-c", PASSWORD_ROTATION_SCRIPT],
                                env: passwordRotationEnv(args.host),
                                image: args.image,
                                name: "alter-role",
                                resources: { limits: { memory: "128Mi" }, requests: { cpu: "50m", memory: "64Mi" } },
                                securityContext: restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
                            },
                        ],
                        restartPolicy: "Never",
                        securityContext: restrictedPodSecurityContext(),
                    },
                },
            },
        },
        passwordRotationJobOptions(args.objectOpts, args.credentials, secret),
    );
    return { job, secret };
}
