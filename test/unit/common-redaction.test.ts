import * as assert from "assert";
import { describeValue } from "../../components/common/validation";
import { ReplicatedCache } from "../../components/workload/replicated-cache";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };

describe("refusals never print a credential", () => {
    it("hides the value of a Kubernetes-shaped entry whose name is a credential", () => {
        assert.strictEqual(describeValue([{ name: "PGPASSWORD", value: "hunter2" }]), '[{"name":"PGPASSWORD","value":"[secret]"}]');
        assert.strictEqual(describeValue({ name: "Authorization", value: "Bearer abc" }), '{"name":"Authorization","value":"[secret]"}');
        assert.strictEqual(describeValue([{ name: "PGDATA", value: "/data" }]), '[{"name":"PGDATA","value":"/data"}]');
    });

    it("StatefulWorkload env and initContainers[i].env given as a list", () => {
        const top = expectInvalid(() => new StatefulWorkload("a", { ...base, env: [{ name: "PGPASSWORD", value: "hunter2" }] } as never));
        assert.ok(!top.message.includes("hunter2"), top.message);
        assert.ok(top.message.includes('(got [{"name":"PGPASSWORD","value":"[secret]"}])'), top.message);
        const init = expectInvalid(
            () => new StatefulWorkload("a", { ...base, initContainers: [{ name: "i", image: "busybox:1.36", env: [{ name: "PGPASSWORD", value: "hunter2" }] }] } as never),
        );
        assert.ok(init.message.includes('initContainers[0].env: must be an object mapping variable names to values (got [{"name":"PGPASSWORD","value":"[secret]"}])'), init.message);
    });

    it("ReplicatedCache env given as a list", () => {
        const { message } = expectInvalid(() => new ReplicatedCache("c", { namespace: "shop", env: [{ name: "REDIS_PASSWORD", value: "hunter2" }] } as never));
        assert.ok(!message.includes("hunter2"), message);
        assert.ok(message.includes('"value":"[secret]"'), message);
    });
});
