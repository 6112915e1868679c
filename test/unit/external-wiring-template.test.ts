import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ExternalStore } from "../../components/external/external-store";
import { withExternalStores } from "../../components/external/wiring";
import { recorder } from "../support/pulumi";

const HEADING = "withExternalStores cannot wire these external stores into the pod template:";

describe("withExternalStores checks its pod template", () => {
    let store: ExternalStore;

    before(async () => {
        const rec = await recorder();
        rec.reset();
        store = new ExternalStore("orders", { engine: "postgresql", hosts: ["db.example.com"], namespace: "shop", password: "Planted-Template-Pw" });
    });

    const refuses = (template: unknown, line: string) =>
        assert.throws(
            () => withExternalStores(template as never, [store], { namespace: "shop" }),
            (err: Error) => pulumi.InputPropertiesError.isInstance(err) && err.message === `${HEADING}\n  - ${line}`,
        );

    it("refuses null, a template without spec, and one without containers, synchronously", () => {
        refuses(null, "template: must be a pod template: an object whose spec.containers is a list of at least one container (got null)");
        refuses({ metadata: {} }, "template.spec: must be a pod template: an object whose spec.containers is a list of at least one container (got undefined)");
        refuses({ spec: { containers: [] } }, "template.spec.containers: must be a list of at least one container (got [])");
        refuses({ spec: { containers: "api" } }, 'template.spec.containers: must be a list of at least one container (got "api")');
        refuses({ spec: { containers: [null] } }, "template.spec.containers[0]: must not be null or undefined (got null)");
    });

    it("accepts a template with a container", () => {
        assert.ok(pulumi.Output.isInstance(withExternalStores({ spec: { containers: [{ name: "api", image: "ghcr.io/acme/api:1.4.2" }] } }, [store], { namespace: "shop" })));
    });
});
