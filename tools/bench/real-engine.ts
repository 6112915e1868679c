import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./measure";

/**
 * The real-engine numbers: `pulumi preview` of each scenario stack against the local
 * cluster, next to a bare-SDK program with the same objects. The end-to-end tier measures
 * them (test/e2e/8-preview-timing.test.ts) and writes `bench/real-engine.json`; the bench
 * reads that file, since it cannot start a control plane itself.
 */

export const REAL_ENGINE_FILE = path.join(ROOT, "bench", "real-engine.json");

/** One stack under the real CLI and provider. */
export interface RealEnginePreview {
    /** `pulumi preview` of the scenario stack (wall time of the CLI). */
    readonly previewMs: number;
    /** `pulumi preview` of a bare-SDK program registering the same objects. */
    readonly bareSdkPreviewMs: number;
    /** CPU time (user + system) of the CLI, its language host and its plugins, for each. */
    readonly previewCpuMs: number;
    readonly bareSdkPreviewCpuMs: number;
}

/** What the tier wrote: when, with which CLI and provider, and the previews by stack. */
export interface RealEngineRecord {
    readonly measuredBy: string;
    readonly cli: string;
    readonly provider: string;
    readonly stacks: Record<string, RealEnginePreview>;
}

/** The tier's record, or why there is none. */
export function readRealEngine(file = REAL_ENGINE_FILE): RealEngineRecord | { readonly notRun: string } {
    if (!fs.existsSync(file)) {
        return { notRun: `the end-to-end tier has not run here: no ${path.relative(ROOT, file)} (npm run e2e writes it)` };
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as RealEngineRecord;
}
