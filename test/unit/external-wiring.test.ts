import * as assert from "assert";
import { ExternalStore, ExternalStoreArgs } from "../../components/external/external-store";
import { externalStoreWiring, withExternalStores } from "../../components/external/wiring";
import { recorder } from "../support/pulumi";

const ARGS: ExternalStoreArgs = { engine: "postgresql", hosts: ["db.example.com"], namespace: "shop", password: "Planted-Wiring-Pw" };
const TEMPLATE = { spec: { containers: [{ image: "ghcr.io/acme/api:1.4.2", name: "api" }] } };

/** The exact text of a wiring refusal. */
const refusal = (...lines: string[]) => `these external stores cannot be wired into one pod:\n${lines.map((l) => `  - ${l}`).join("\n")}`;

describe("external store wiring input", () => {
    let store: ExternalStore;

    before(async () => {
        const rec = await recorder();
        rec.reset();
        store = new ExternalStore("orders", ARGS);
    });

    const refuses = (fn: () => unknown, message: string) => assert.throws(fn, (err: Error) => err.message === message && !err.message.includes("Planted-Wiring-Pw"));

    it("refuses a null store and a hole among the stores", () => {
        const stores = [store, null, store];
        delete stores[2];
        refuses(() => withExternalStores(TEMPLATE, stores as ExternalStore[]), refusal(
            "externalStores[1]: must not be null or undefined (got null)",
            "externalStores[2]: must not be a hole: the list is sparse (an element was skipped or deleted) (got undefined)",
        ));
    });

    it("refuses something that is not an ExternalStore", () => {
        refuses(() => externalStoreWiring([{ storeName: "orders" } as unknown as ExternalStore]), refusal('externalStores[0]: must be an ExternalStore (got {"storeName":"orders"})'));
    });

    it("refuses a misspelt option with a suggestion", () => {
        refuses(() => externalStoreWiring([store], { waitForStore: false } as never), refusal('opts.waitForStore: is not a known field; did you mean "waitForStores"? (got false)'));
    });

    it("refuses a container list given as a string, an image with a trailing space and a namespace in upper case, all at once", () => {
        refuses(() => withExternalStores(TEMPLATE, [store], { containers: "api" as never, namespace: "Shop", waitImage: "busybox:1.37.0 " }), refusal(
            'opts.namespace: must be a DNS-1123 label: at most 63 characters of lower-case letters, digits and \'-\', starting and ending with a letter or digit (got "Shop")',
            'opts.waitImage: must be a container image reference: letters, digits and . _ - / : @, no whitespace, at most 512 characters (got "busybox:1.37.0 ")',
            'opts.containers: must be a list (got "api")',
        ));
    });

    it("refuses options that are not an object", () => {
        refuses(() => externalStoreWiring([store], null as never), refusal("opts: must be an object of wiring options (got null)"));
    });
});
