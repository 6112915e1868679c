/**
 * Values of the hostile-input tests that take a few lines to build: a sparse list and a
 * deeply nested object. Built fresh on each call, so no test sees another's mutation.
 */

/** `items` with the first element deleted: a list with a hole, which `[...list]` and `forEach` skip over. */
export function sparse(...items: unknown[]): unknown[] {
    const list = [...items];
    delete list[0];
    return list;
}

/** `{ a: { a: … {} } }`, `levels` deep: the message renderer must neither overflow nor flood. */
export function deepObject(levels: number): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < levels; i++) {
        const next: Record<string, unknown> = {};
        node.a = next;
        node = next;
    }
    return root;
}
