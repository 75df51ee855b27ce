{{- define "firebreak.fullname" -}}
{{- if contains "firebreak" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-firebreak" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "firebreak.labels" -}}
app.kubernetes.io/name: firebreak
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "firebreak.secretName" -}}
{{- if .Values.existingSecret -}}
{{- .Values.existingSecret -}}
{{- else -}}
{{- include "firebreak.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "firebreak.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}

{{- define "firebreak.baseUrl" -}}
{{- .Values.baseUrl | default (printf "https://%s" .Values.host) -}}
{{- end -}}

{{- define "firebreak.env" -}}
- name: DJANGO_SETTINGS_MODULE
  value: config.settings.production
- name: DJANGO_ALLOWED_HOSTS
  value: {{ .Values.host | quote }}
- name: FIREBREAK_BASE_URL
  value: {{ include "firebreak.baseUrl" . | quote }}
- name: EMAIL_BACKEND
  value: django.core.mail.backends.smtp.EmailBackend
- name: EMAIL_HOST
  value: {{ .Values.email.host | default "localhost" | quote }}
- name: EMAIL_PORT
  value: {{ .Values.email.port | toString | quote }}
- name: EMAIL_HOST_USER
  value: {{ .Values.email.user | quote }}
- name: EMAIL_USE_TLS
  value: {{ .Values.email.useTls | toString | quote }}
- name: DEFAULT_FROM_EMAIL
  value: {{ .Values.email.from | quote }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "firebreak.envFrom" -}}
- secretRef:
    name: {{ include "firebreak.secretName" . }}
{{- end -}}

{{- define "firebreak.pod" -}}
{{- if .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml .Values.imagePullSecrets | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}
