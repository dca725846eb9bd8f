/**
 * @module aws-partitions
 * The AWS partitions a region belongs to, with the DNS suffixes their hosts are named under. A partition is a world
 * of its own: China's regions (aws-cn) are operated by Sinnet and NWCD, GovCloud's (aws-us-gov) and the ISO
 * partitions are separate too, each with accounts and credentials that serve no other. So a host is built with its
 * partition's suffix (`bedrock-runtime.cn-north-1.amazonaws.com.cn`; `.amazonaws.com` there reaches nobody) and is
 * its partition's trust domain (cli/credential-domains.ts). The data is the AWS SDK's partitions table
 * (@aws-sdk/core util-endpoints `partitions.js`: id, regionRegex, dnsSuffix, dualStackDnsSuffix), limited to the
 * region names names.ts takes (the European Sovereign Cloud's `eusc-de-east-1` is none, so its hosts stay origins).
 */

export interface Partition {
  /** The SDK's partition id: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`... */
  id: string;
  /** How messages name it (and the trust domain it is): `AWS`, `AWS China`, `AWS GovCloud`. */
  title: string;
  /** The suffix of its regional hosts (`bedrock-runtime.<region>.<dnsSuffix>`). */
  dnsSuffix: string;
  /** The suffix of its dual-stack hosts (Mantle's `bedrock-mantle.<region>.api.aws` is on the `aws` one). */
  dualStackDnsSuffix: string;
}

/** The partitions other than `aws`, each with the regions it holds (the SDK's regionRegex). */
const OTHERS: ReadonlyArray<Partition & { regions: RegExp }> = [
  { id: 'aws-cn', title: 'AWS China', regions: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn', dualStackDnsSuffix: 'api.amazonwebservices.com.cn' },
  { id: 'aws-us-gov', title: 'AWS GovCloud', regions: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws' },
  { id: 'aws-iso', title: 'AWS ISO', regions: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov' },
  { id: 'aws-iso-b', title: 'AWS ISOB', regions: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud' },
  { id: 'aws-iso-e', title: 'AWS ISOE', regions: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk', dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk' },
  { id: 'aws-iso-f', title: 'AWS ISOF', regions: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov' },
];
/** The commercial partition; the SDK takes a region no other partition's pattern matches to be in it. */
const AWS_PARTITION: Partition = { id: 'aws', title: 'AWS', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws' };

/** Every partition. */
export const PARTITIONS: readonly Partition[] = [AWS_PARTITION, ...OTHERS];

/**
 * The partition of a region name (one names.ts accepts). An ISO-looking name of no ISO partition (`us-isoc-...`)
 * has none: guessing `aws` would put it in the commercial domain.
 */
export function partitionOf(region: string): Partition | undefined {
  const other = OTHERS.find((partition) => partition.regions.test(region));
  if (other) return other;
  return /-iso[a-z]?-/.test(region) ? undefined : AWS_PARTITION;
}
