import * as assert from "assert";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };
const volume = (mountPath: string) => [{ name: "data", mountPath, size: "10Gi", storageClass: "gp3" }];
const SYSTEM =
    "must not lie in or below /proc, /dev, /sys, /etc, /bin, /sbin, /lib, /lib64, /usr: its directory gets its own emptyDir, which would hide the kernel's, the node's or the image's own files there";

describe("StatefulWorkload ordinalEnvVar.file", () => {
    for (const file of ["/proc/x/ordinal", "/dev/ordinal", "/sys/ordinal", "/etc/ordinal", "/usr/local/ordinal", "/bin/ordinal"]) {
        it(`refuses ${file}: its emptyDir would shadow a system directory`, () => {
            const { message, paths } = expectInvalid(() => new StatefulWorkload("a", { ...base, ordinalEnvVar: { name: "ORD", offset: 1, file } }));
            assert.deepStrictEqual(paths, ["ordinalEnvVar.file"]);
            assert.ok(message.includes(`ordinalEnvVar.file: ${SYSTEM} (got ${JSON.stringify(file)})`), message);
        });
    }

    it("refuses a directory that is the parent or a child of a volume's mountPath", () => {
        const parent = expectInvalid(() => new StatefulWorkload("a", { ...base, volumes: volume("/data/db"), ordinalEnvVar: { name: "ORD", offset: 1, file: "/data/ordinal" } }));
        assert.ok(
            parent.message.includes(
                'volumes[0].mountPath: must not be a parent or a child of the directory of ordinalEnvVar.file (/data), which gets its own emptyDir: one mount would hide the other\'s files (got "/data/db")',
            ),
            parent.message,
        );
        const child = expectInvalid(() => new StatefulWorkload("a", { ...base, volumes: volume("/data"), ordinalEnvVar: { name: "ORD", offset: 1, file: "/data/run/ordinal" } }));
        assert.deepStrictEqual(child.paths, ["volumes[0].mountPath"]);
        const same = expectInvalid(() => new StatefulWorkload("a", { ...base, volumes: volume("/data"), ordinalEnvVar: { name: "ORD", offset: 1, file: "/data/ordinal" } }));
        assert.ok(same.message.includes("must not be the directory of ordinalEnvVar.file (/data/ordinal), which gets its own emptyDir"), same.message);
    });

    it("accepts the default and a directory beside the volumes", () => {
        assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, volumes: volume("/data"), ordinalEnvVar: { name: "ORD", offset: 1 } }));
        assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, volumes: volume("/data"), ordinalEnvVar: { name: "ORD", offset: 1, file: "/var/run/ord/ordinal" } }));
    });
});
