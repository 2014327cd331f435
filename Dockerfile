# Våga vara digital — one image for the web and worker roles (and the migration Job: `vvd migrate`).
# Cannot be built on the development machines (no Docker engine); its start command is tested without Docker
# (tests/VagaVaraDigital.Tests/Foundation/ImageStartTests.cs reads the runtime stage below). ADR 0070.

FROM node:20-bookworm-slim AS spa
WORKDIR /src/src/VagaVaraDigital.Admin
COPY src/VagaVaraDigital.Admin/package*.json ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund; fi
COPY src/VagaVaraDigital.Admin/ ./
# Vite writes to ../VagaVaraDigital.Api/wwwroot/app
RUN if [ -f package.json ]; then npm run build; else mkdir -p ../VagaVaraDigital.Api/wwwroot/app; fi

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/VagaVaraDigital.Api -c Release -o /app/api \
 && dotnet publish tools/VagaVaraDigital.Cli -c Release -o /app/cli
COPY --from=spa /src/src/VagaVaraDigital.Api/wwwroot/app /app/api/wwwroot/app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Files owned by root and not writable by the app's user: the root filesystem can be mounted read-only;
# only TMPDIR (/tmp, an emptyDir in the chart) is written (import/export spool files, .NET's diagnostics socket).
COPY --from=build /app /app
WORKDIR /app/api
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_CONTENTROOT=/app/api \
    DOTNET_RUNNING_IN_CONTAINER=true \
    TMPDIR=/tmp
# Numeric (the .NET images' non-root "app" user, 1654): Kubernetes' runAsNonRoot can only verify a number.
USER $APP_UID
EXPOSE 8080
# No HEALTHCHECK: the image has no HTTP client to ask /health/ready with, and Kubernetes ignores it anyway;
# the chart's readiness and liveness probes ask /health/ready and /health/live.
ENTRYPOINT ["dotnet", "/app/api/VagaVaraDigital.Api.dll"]
