{{- define "vvd.env" -}}
- name: ConnectionStrings__Postgres
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: postgres } }
- name: Invitees__PersonKeySecret
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: personKeySecret } }
- name: Tenancy__BaseDomain
  value: {{ .Values.baseDomain | quote }}
- name: Database__MigrateOnStartup
  value: "false"
- name: Identity__Issuer
  value: "https://{{ .Values.baseDomain }}/"
- name: Identity__PublicOrigin
  value: "https://{{ .Values.baseDomain }}"
{{- range $i, $network := .Values.ingress.trustedNetworks }}
- name: ForwardedHeaders__KnownNetworks__{{ $i }}
  value: {{ $network | quote }}
{{- end }}
- name: ForwardedHeaders__ForwardLimit
  value: {{ .Values.ingress.forwardLimit | quote }}
{{- end -}}


{{/* The image's numeric non-root user (the .NET images' app user, 1654) and a read-only root filesystem:
     only /tmp is written (TMPDIR in the image), an emptyDir. ADR 0070. */}}
{{- define "vvd.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "vvd.containerSecurityContext" -}}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities: { drop: ["ALL"] }
{{- end -}}

{{- define "vvd.tmpVolume" -}}
- name: tmp
  emptyDir: { sizeLimit: {{ .Values.tmpSizeLimit }} }
{{- end -}}

{{- define "vvd.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}
