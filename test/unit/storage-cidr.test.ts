import * as assert from "assert";
import * as fc from "fast-check";
import { cidrRange, coversAddressFamily, parseCidr } from "../../components/storage/cidr";
import { validateEfsArgs } from "../../components/storage/efs-storage-class";
import { lines } from "./storage-helpers";

const parse = (blocks: readonly string[]) => blocks.map((b) => parseCidr(b)!);

/** The IPv4 block of `prefix` bits starting at address `first` (a number below 2**32). */
function ipv4Block(first: bigint, prefix: number): string {
    const octets = [24n, 16n, 8n, 0n].map((s) => Number((first >> s) & 255n));
    return `${octets.join(".")}/${prefix}`;
}

/**
 * Splits the whole IPv4 space into aligned blocks: each choice either keeps a block or
 * halves it (once the choices run out, blocks are kept), so that the blocks always tile
 * 0.0.0.0–255.255.255.255 with at most one block more than there are choices.
 */
function tiling(choices: readonly boolean[]): string[] {
    const out: string[] = [];
    let i = 0;
    const split = (first: bigint, prefix: number) => {
        if (prefix < 1 || (prefix < 30 && i < choices.length && choices[i++])) {
            split(first, prefix + 1);
            split(first + (1n << BigInt(32 - prefix - 1)), prefix + 1);
        } else {
            out.push(ipv4Block(first, prefix));
        }
    };
    split(0n, 0);
    return out;
}

const OPEN_V4 = "must not together cover every IPv4 address, which opens NFS to the whole internet: name the cluster's subnets or security groups instead";
const OPEN_V6 = "must not together cover every IPv6 address, which opens NFS to the whole internet: name the cluster's subnets or security groups instead";

function refusal(blocks: string[]): string[] {
    return lines(validateEfsArgs("shared", { fileSystem: { allowedCidrBlocks: blocks, subnetIds: ["subnet-0123456789abcdef0"], vpcId: "vpc-0123456789abcdef0" } }));
}

describe("CIDR coverage", () => {
    it("gives the first and last address of a block", () => {
        assert.deepStrictEqual(cidrRange(parseCidr("10.0.0.0/8")!), [10n << 24n, (11n << 24n) - 1n]);
        assert.deepStrictEqual(cidrRange(parseCidr("128.0.0.0/1")!), [1n << 31n, (1n << 32n) - 1n]);
    });

    it("merges ranges in address order, overlapping or adjacent, in any input order", () => {
        assert.strictEqual(coversAddressFamily(parse(["128.0.0.0/1", "0.0.0.0/1"]), 4), true);
        assert.strictEqual(coversAddressFamily(parse(["0.0.0.0/2", "0.0.0.0/1", "64.0.0.0/2", "128.0.0.0/1"]), 4), true);
        assert.strictEqual(coversAddressFamily(parse(["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"]), 4), false, "224.0.0.0/3 is missing");
        assert.strictEqual(coversAddressFamily(parse(["0.0.0.0/1", "128.0.0.0/1"]), 6), false, "the other family is not covered");
        assert.strictEqual(coversAddressFamily(parse(["::/1", "8000::/1"]), 6), true);
        assert.strictEqual(coversAddressFamily([], 4), false);
    });

    it("finds full coverage however the address space is split, and a gap as soon as one block is left out", () => {
        fc.assert(
            fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 24 }), fc.nat(), (choices, drop) => {
                const blocks = tiling(choices);
                assert.strictEqual(coversAddressFamily(parse(blocks), 4), true, blocks.join(" "));
                const missing = blocks.filter((_, i) => i !== drop % blocks.length);
                assert.strictEqual(coversAddressFamily(parse(missing), 4), false, missing.join(" "));
            }),
            { numRuns: 200, seed: 2049 },
        );
    });

    it("EFS refuses a set of blocks that opens NFS to every IPv4 address", () => {
        assert.deepStrictEqual(refusal(["0.0.0.0/1", "128.0.0.0/1"]), [`fileSystem.allowedCidrBlocks: ${OPEN_V4} (got ["0.0.0.0/1","128.0.0.0/1"])`]);
    });

    it("EFS refuses four quarters, listed out of order, among private ranges", () => {
        assert.deepStrictEqual(refusal(["10.0.0.0/8", "192.0.0.0/2", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2"]), [
            `fileSystem.allowedCidrBlocks: ${OPEN_V4} (got ["10.0.0.0/8","192.0.0.0/2","0.0.0.0/2","128.0.0.0/2","64.0.0.0/2"])`,
        ]);
    });

    it("EFS refuses a set of blocks that opens NFS to every IPv6 address", () => {
        assert.deepStrictEqual(refusal(["10.0.0.0/16", "::/1", "8000::/1"]), [`fileSystem.allowedCidrBlocks: ${OPEN_V6} (got ["10.0.0.0/16","::/1","8000::/1"])`]);
    });

    it("EFS accepts half of the address space, and both private ranges", () => {
        assert.deepStrictEqual(refusal(["0.0.0.0/1"]), []);
        assert.deepStrictEqual(refusal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"]), []);
    });
});
