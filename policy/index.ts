import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

/**
 * The stateful-stacks CrossGuard pack: `pulumi preview --policy-pack policy/` on any
 * program. Mandatory policies fail the preview; `data-holding-protected` is advisory.
 */
new PolicyPack("stateful-stacks", {
    description: "Stateful-safety rules for Kubernetes and AWS storage: Retain policies, encryption at rest, credentials only from Secrets, retained StatefulSet claims, evictable pods, valid names, protected data.",
    policies: [...POLICIES],
});
