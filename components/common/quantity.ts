/**
 * Kubernetes resource quantities, without the Pulumi SDK: the gate and the CLI read sizes
 * from preview documents with the same parser the components validate them with.
 */

const BINARY_SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIX: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * Parses a Kubernetes resource quantity ("20Gi", "1.5T", "500M", "1e3") into its value
 * in base units (bytes for storage). Returns undefined when the text is not a quantity.
 */
export function parseQuantity(text: string): number | undefined {
    if (typeof text !== "string") {
        return undefined;
    }
    const match = QUANTITY.exec(text);
    if (!match) {
        return undefined;
    }
    const number = Number(match[1]);
    const suffix = match[2] ?? "";
    if (suffix in BINARY_SUFFIX) {
        return number * BINARY_SUFFIX[suffix];
    }
    if (suffix in DECIMAL_SUFFIX) {
        return number * DECIMAL_SUFFIX[suffix];
    }
    return number * 10 ** Number(suffix.slice(1));
}
