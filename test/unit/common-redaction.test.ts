import * as assert from "assert";
import { redactText } from "../../components/common/credentials";
import { describeValue } from "../../components/common/validation";
import { ExternalStore } from "../../components/external/external-store";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
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

    it("redacts URL userinfo up to its last @, and scheme-less user:password@host", () => {
        assert.strictEqual(redactText("https://app:p@ss@db.example.com"), "https://[secret]@db.example.com");
        assert.strictEqual(redactText("postgres://app:pw@db/x?next=a@b"), "postgres://[secret]@db/x?next=a@b");
        assert.strictEqual(redactText("admin:hunter2@db.internal"), "[secret]@db.internal");
        assert.strictEqual(redactText("10.0.0.1:5432"), "10.0.0.1:5432");
        assert.strictEqual(redactText("user@host"), "user@host");
    });

    it("ExternalStore externalName and hosts, EbsStorageClass tags", () => {
        const store = { namespace: "app", engine: "postgresql", hosts: ["db.example.com"], password: "x" };
        const external = expectInvalid(() => new ExternalStore("s", { ...store, externalName: "https://app:p@ss@db.example.com" } as never));
        assert.ok(external.message.includes('(got "https://[secret]@db.example.com")'), external.message);
        const hosts = expectInvalid(() => new ExternalStore("s", { ...store, hosts: ["admin:hunter2@db.internal"] } as never));
        assert.ok(hosts.message.includes('hosts[0]: must be an IPv4 address, an IPv6 address or a DNS name, without scheme or port (got "[secret]@db.internal")'), hosts.message);
        const tags = expectInvalid(() => new EbsStorageClass("e", { tags: { DB_PASSWORD: 12345 } } as never));
        assert.ok(tags.message.includes('tags["DB_PASSWORD"]: must be a string of at most 256 characters (got [secret])'), tags.message);
    });
});
