# Våga vara digital — one image for the web and worker roles (and the migration Job: `vvd migrate`).
# Cannot be built on the development machines (no Docker engine); kept simple and correct.

FROM node:20-bookworm-slim AS spa
WORKDIR /src/src/VagaVaraDigital.Admin
COPY src/VagaVaraDigital.Admin/package*.json ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund; fi
COPY src/VagaVaraDigital.Admin/ ./
RUN if [ -f package.json ]; then npm run build; else mkdir -p dist; fi

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/VagaVaraDigital.Api -c Release -o /app/api \
 && dotnet publish tools/VagaVaraDigital.Cli -c Release -o /app/cli
COPY --from=spa /src/src/VagaVaraDigital.Api/wwwroot/app /app/api/wwwroot/app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_RUNNING_IN_CONTAINER=true
USER app
EXPOSE 8080
HEALTHCHECK CMD ["dotnet", "--info"]
ENTRYPOINT ["dotnet", "/app/api/VagaVaraDigital.Api.dll"]
