/** A template.toml that loadTemplate accepts, for tests that change one thing of it. */
export function templateToml(versions = '>=20'): string {
  return `name = "fixture"
description = "d"
runtime = "node"
versions = "${versions}"
pin = "22"
run = "node src/app.js"
test = "node --test"
health = "/health"

[options.name]
default = "hello-app"
[options.port]
default = 3000

[[substitute]]
files = ["src/*.js"]
replace = { "hello-app" = "{{name}}" }
`;
}
