import * as pulumi from "@pulumi/pulumi";
import { runScenario } from "./scenarios";

/**
 * The scenario stacks' program. The stack config picks the scenario
 * (`stateful-stacks:scenario`, default: the stack name); the module's exports are the
 * stack outputs.
 */
export = runScenario(new pulumi.Config().get("scenario") ?? pulumi.getStack());
