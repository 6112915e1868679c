/**
 * IPv4 and IPv6 CIDR blocks as numbers: parsing, the network address, and whether a set
 * of blocks together covers a whole address family (the EFS security group must never
 * admit every address, however the blocks are split).
 */

/** An IPv4 or IPv6 CIDR parsed into its address bits. */
export interface Cidr {
    readonly family: 4 | 6;
    readonly bits: bigint;
    readonly width: number;
    readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) {
        return undefined;
    }
    return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
        return undefined;
    }
    const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
        return undefined;
    }
    return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "10.0.0.0/16" or "2001:db8::/32"; undefined when it is not a CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const family = match[1].includes(":") ? 6 : 4;
    const width = family === 4 ? 32 : 128;
    const prefix = Number(match[2]);
    const bits = family === 4 ? parseIpv4(match[1]) : parseIpv6(match[1]);
    if (bits === undefined || prefix > width) {
        return undefined;
    }
    return { family, bits, width, prefix };
}

/** The network address of a CIDR block ("10.0.0.5/16" → "10.0.0.0/16" for IPv4). */
export function networkOf(cidr: Cidr): string {
    const hostBits = BigInt(cidr.width - cidr.prefix);
    const network = (cidr.bits >> hostBits) << hostBits;
    if (cidr.family === 4) {
        return `${[24n, 16n, 8n, 0n].map((s) => Number((network >> s) & 255n)).join(".")}/${cidr.prefix}`;
    }
    const groups = [];
    for (let s = 112n; s >= 0n; s -= 16n) {
        groups.push(((network >> s) & 0xffffn).toString(16));
    }
    return `${groups.join(":")}/${cidr.prefix}`;
}

/** The first and last address of a block, as numbers. */
export function cidrRange(cidr: Cidr): readonly [bigint, bigint] {
    const hostBits = BigInt(cidr.width - cidr.prefix);
    const first = (cidr.bits >> hostBits) << hostBits;
    return [first, first + (1n << hostBits) - 1n];
}

/**
 * True when the blocks of `family` together cover every address of that family: their
 * ranges are merged in address order, and the merged range must leave no gap from the
 * first address to the last. `["0.0.0.0/1", "128.0.0.0/1"]` covers IPv4 as `0.0.0.0/0` does.
 */
export function coversAddressFamily(cidrs: readonly Cidr[], family: 4 | 6): boolean {
    const ranges = cidrs
        .filter((c) => c.family === family)
        .map(cidrRange)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let next = 0n;
    for (const [first, last] of ranges) {
        if (first > next) {
            return false;
        }
        if (last + 1n > next) {
            next = last + 1n;
        }
    }
    return next === 1n << BigInt(family === 4 ? 32 : 128);
}
