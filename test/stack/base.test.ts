import * as assert from "assert";
import { podSecurityLabels, withSkipAwait } from "../../stacks/base";

describe("scenario base", () => {
    it("adds the skip-await annotation to a stack's own object only when asked, keeping its annotations and the argument", () => {
        const metadata = { annotations: { "example.com/owner": "team-a" }, labels: { app: "web" }, name: "web" };
        assert.deepStrictEqual(withSkipAwait(metadata, true), {
            annotations: { "example.com/owner": "team-a", "pulumi.com/skipAwait": "true" },
            labels: { app: "web" },
            name: "web",
        });
        assert.deepStrictEqual(metadata.annotations, { "example.com/owner": "team-a" });
        assert.strictEqual(withSkipAwait(metadata, false), metadata);
        assert.deepStrictEqual(withSkipAwait({ name: "web" }, true), { annotations: { "pulumi.com/skipAwait": "true" }, name: "web" });
    });

    it("labels a namespace to enforce its level and warn and audit against restricted", () => {
        assert.deepStrictEqual(podSecurityLabels("privileged"), {
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/warn": "restricted",
        });
    });
});
