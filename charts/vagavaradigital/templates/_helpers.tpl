{{- define "vvd.env" -}}
- name: ConnectionStrings__Postgres
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: postgres } }
- name: Tenancy__BaseDomain
  value: {{ .Values.baseDomain | quote }}
- name: Database__MigrateOnStartup
  value: "false"
{{- end -}}
