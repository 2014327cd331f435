#!/usr/bin/env bash
# Refreshes the SPA's typed API client from the live OpenAPI document:
#   1. the snapshot test writes src/VagaVaraDigital.Admin/openapi.json from the app (needs PostgreSQL like ./test.sh);
#   2. openapi-typescript regenerates src/VagaVaraDigital.Admin/src/api/schema.d.ts;
#   3. tsc checks the SPA against it.
# See docs/decisions/0061-openapi-snapshot-for-the-spa-client.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VVD_REFRESH_OPENAPI=1 dotnet test tests/VagaVaraDigital.Tests --filter "FullyQualifiedName~OpenApiSnapshotTests" -nologo -v q
cd src/VagaVaraDigital.Admin
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent api:types
npm run --silent typecheck
echo "openapi.json and src/api/schema.d.ts are up to date."
