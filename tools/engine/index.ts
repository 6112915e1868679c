export * from "./mocks";
export * from "./schema";
