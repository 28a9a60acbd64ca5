/**
 * Java vendor names as other tools write them, mapped to poly's distribution
 * names. AdoptOpenJDK became Eclipse Temurin; plain "openjdk" builds are
 * served by Temurin too. Unknown vendors keep their name (install decides).
 */
const VENDORS: Record<string, string> = {
  tem: 'temurin',
  temurin: 'temurin',
  adoptopenjdk: 'temurin',
  adopt: 'temurin',
  openjdk: 'temurin',
  open: 'temurin',
  zulu: 'zulu',
  amzn: 'corretto',
  corretto: 'corretto',
  librca: 'liberica',
  liberica: 'liberica',
  ms: 'microsoft',
  microsoft: 'microsoft',
  graal: 'graalvm',
  graalce: 'graalvm',
  graalvm: 'graalvm',
  sapmchn: 'sapmachine',
  sapmachine: 'sapmachine',
  sem: 'semeru',
  semeru: 'semeru',
  oracle: 'oracle',
};

export function javaDistribution(vendor: string | undefined): string {
  if (!vendor) return 'temurin';
  const key = vendor.toLowerCase().replace(/(64|32)$/, '');
  return VENDORS[key] ?? key.replace(/[^a-z0-9]/g, '');
}

/** "21.0.2+13.0.LTS" -> "21.0.2": build and LTS suffixes are not part of a poly spec. */
export function javaVersion(version: string): string {
  return version.replace(/[+_].*$/, '').replace(/\.LTS$/i, '');
}

export function javaSpec(vendor: string | undefined, version: string): string {
  return `${javaDistribution(vendor)}-${javaVersion(version)}`;
}
