import type { FolderContext, FolderService } from './types.js';

/**
 * A Spring Boot app: pom.xml (`./mvnw spring-boot:run`) or build.gradle(.kts)
 * (`./gradlew bootRun`), the wrapper when the folder has one. The port is
 * server.port from application.properties / application.yml, else Spring's 8080.
 */
export function detectJavaService(ctx: FolderContext): FolderService | undefined {
  const pom = ctx.read('pom.xml');
  const gradleFile = ctx.files.has('build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
  const gradle = ctx.read(gradleFile);
  let file: string;
  let run: string;
  let build: string;
  if (pom !== undefined && /spring-boot/.test(pom)) {
    file = 'pom.xml';
    build = pom;
    run = ctx.files.has('mvnw') ? './mvnw spring-boot:run' : 'mvn spring-boot:run';
  } else if (gradle !== undefined && /org\.springframework\.boot/.test(gradle)) {
    file = gradleFile;
    build = gradle;
    run = ctx.files.has('gradlew') ? './gradlew bootRun' : 'gradle bootRun';
  } else return undefined;
  const port = springPort(ctx) ?? 8080;
  const actuator = /spring-boot-starter-actuator/.test(build);
  const impliedPin = javaVersion(build, file);
  return {
    runtime: 'java',
    file,
    run,
    port,
    // The first start downloads dependencies and compiles: give it time before the first check.
    health: actuator ? { path: '/actuator/health', start_period: '10m' } : { tcp: port, start_period: '10m' },
    ...(impliedPin ? { impliedPin } : {}),
  };
}

function springPort(ctx: FolderContext): number | undefined {
  const props = ctx.read('src/main/resources/application.properties');
  const fromProps = props && /^\s*server\.port\s*[=:]\s*(\d{2,5})\s*$/m.exec(props)?.[1];
  if (fromProps) return Number(fromProps);
  const yml =
    ctx.read('src/main/resources/application.yml') ?? ctx.read('src/main/resources/application.yaml');
  const fromYml = yml && /^server:\s*\n(?:[ \t]+.*\n)*?[ \t]+port:\s*(\d{2,5})\s*$/m.exec(yml)?.[1];
  return fromYml ? Number(fromYml) : undefined;
}

/** `<java.version>21</java.version>`, `<maven.compiler.release>`, `JavaLanguageVersion.of(21)`, `VERSION_21`. */
function javaVersion(build: string, file: string): FolderService['impliedPin'] {
  const m =
    /<(java\.version|maven\.compiler\.release)>\s*(\d+)\s*</.exec(build) ??
    /(JavaLanguageVersion\.of)\(\s*(\d+)\s*\)/.exec(build) ??
    /(JavaVersion\.VERSION)_(\d+)\b/.exec(build) ??
    /(sourceCompatibility)\s*=\s*['"]?(\d+)/.exec(build);
  if (!m?.[2]) return undefined;
  return { spec: `temurin-${m[2]}`, written: `${m[1]} ${m[2]}`, file };
}
