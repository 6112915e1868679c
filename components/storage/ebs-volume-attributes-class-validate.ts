import { checkObject, checkOneOf, EXPECT_CHECK, isDeferred } from "../common/checks";
import { checkSubdomain, EXPECT, isDns1123Subdomain } from "../common/kubernetes";
import { describeValue, Problem, ProblemList } from "../common/validation";
import { EBS_VOLUME_TYPES, EbsVolumeType } from "./ebs-limits";
import { checkEbsPerformance, checkEbsTags } from "./ebs-storage-class-validate";
import { EBS_VOLUME_ATTRIBUTES_ARG_NAMES, EbsVolumeAttributesClassArgs } from "./ebs-volume-attributes-class-args";
import { maxEbsVolumeAttributesSuffixLength } from "./ebs-volume-attributes-class-render";
import { checkComponentName } from "./storage-class";

/** Longest name prefix: a DNS-1123 subdomain of 253 characters minus "-" and the longest derived part. */
export const MAX_VOLUME_ATTRIBUTES_PREFIX = 253 - 1 - maxEbsVolumeAttributesSuffixLength();

const NAMED_FROM_PARAMETERS = "a VolumeAttributesClass is immutable and its name is derived from its parameters";

function checkNamePrefix(problems: ProblemList, componentName: string, prefix: unknown): void {
    const limit = `at most ${MAX_VOLUME_ATTRIBUTES_PREFIX} characters, leaving room for the part of the name derived from the parameters`;
    if (prefix === undefined) {
        if (!isDns1123Subdomain(componentName)) {
            problems.add(
                "namePrefix",
                prefix,
                `${EXPECT.dns1123Subdomain}; it defaults to the component name ${describeValue(componentName)}, which is not one, so set namePrefix explicitly`,
            );
        } else if (componentName.length > MAX_VOLUME_ATTRIBUTES_PREFIX) {
            problems.add("namePrefix", prefix, `must be ${limit}; it defaults to the component name, which is longer, so set namePrefix explicitly`);
        }
        return;
    }
    if (checkSubdomain(problems, "namePrefix", prefix) && prefix.length > MAX_VOLUME_ATTRIBUTES_PREFIX) {
        problems.add("namePrefix", prefix, `must be ${limit}`);
    }
}

/**
 * Every problem with the arguments of an {@link EbsVolumeAttributesClass} named `name`, at
 * once. The EBS limits are the StorageClass's ({@link checkEbsPerformance}); every value must
 * be known at construction, since the class's name is derived from it.
 */
export function validateEbsVolumeAttributesArgs(name: string, args: EbsVolumeAttributesClassArgs | undefined): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    checkComponentName(problems, name);
    if (args === undefined) {
        checkNamePrefix(problems, typeof name === "string" ? name : "", undefined);
        return [...problems.problems];
    }
    if (isDeferred(args)) {
        problems.add("args", args, EXPECT_CHECK.deferredArgs);
        return [...problems.problems];
    }
    if (!checkObject(problems, "", args, EBS_VOLUME_ATTRIBUTES_ARG_NAMES, "must be an object of EbsVolumeAttributesClass arguments")) {
        return [...problems.problems];
    }
    const performance: { iops?: unknown; throughputMibps?: unknown } = {};
    for (const key of ["iops", "throughputMibps"] as const) {
        const value: unknown = args[key];
        if (isDeferred(value)) {
            problems.add(key, value, `${EXPECT.deferred}: ${NAMED_FROM_PARAMETERS}`);
        } else {
            performance[key] = value;
        }
    }
    const typeValid = args.volumeType === undefined || checkOneOf(problems, "volumeType", args.volumeType, EBS_VOLUME_TYPES);
    if (typeValid) {
        checkEbsPerformance(problems, performance, (args.volumeType ?? "gp3") as EbsVolumeType, "set iops");
    }
    if (isDeferred(args.tags)) {
        problems.add("tags", args.tags, `${EXPECT.deferred}: ${NAMED_FROM_PARAMETERS}`);
    } else {
        checkEbsTags(problems, args.tags);
    }
    checkNamePrefix(problems, typeof name === "string" ? name : "", args.namePrefix);
    return [...problems.problems];
}
