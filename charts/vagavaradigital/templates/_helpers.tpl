{{- define "vvd.env" -}}
- name: ConnectionStrings__Postgres
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: postgres } }
- name: Invitees__PersonKeySecret
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: personKeySecret } }
- name: Tenancy__BaseDomain
  value: {{ .Values.baseDomain | quote }}
- name: Database__MigrateOnStartup
  value: "false"
{{- end -}}
