import * as assert from "assert";
import * as path from "path";
import { sdkPreloads } from "../../tools/plan";

const ROOT = path.resolve(__dirname, "../..");

describe("plan: the SDKs its evaluation processes preload before the TypeScript loader", () => {
    it("preloads the Pulumi SDKs the project declares, resolved from the project's folder, core SDK first", () => {
        assert.deepStrictEqual(sdkPreloads(ROOT), [
            "--require",
            require.resolve("@pulumi/pulumi", { paths: [ROOT] }),
            "--require",
            require.resolve("@pulumi/kubernetes", { paths: [ROOT] }),
            "--require",
            require.resolve("@pulumi/aws", { paths: [ROOT] }),
        ]);
    });

    it("preloads nothing for a project without a package.json (its program finds its own modules)", () => {
        assert.deepStrictEqual(sdkPreloads(path.join(ROOT, "test/golden/fixtures/broken")), []);
    });
});
