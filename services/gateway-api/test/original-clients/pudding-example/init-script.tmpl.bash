#!/usr/bin/env bash
{{/*
  Overcast's own operator template, written for this suite in pudding's template language: only fields, functions,
  raw and quoted strings, pipelines, comments and trim markers, which pudding rendered too, so the same file would
  serve an operator's pudding. It reads the callback URLs (with the build's credentials in their userinfo), the Slack
  channel and the worker's concurrency from the context, a compressed secret with env_for | uncompress and a plain
  value with env, and writes one hook per callback the instance makes.
*/ -}}
set -o errexit -o nounset -o pipefail

instance_id=$(curl -sf http://169.254.169.254/latest/meta-data/instance-id)

mkdir -p /app
cd /app

# The site's deploy key, kept gzipped and base64-encoded in the broker's environment as DEPLOY_KEY_<SITE>_<ENV>.
cat >deploy-key <<'DEPLOY_KEY'
{{ env_for "DEPLOY_KEY" `site` `env` | uncompress }}
DEPLOY_KEY
chmod 0600 deploy-key

cat >worker.env <<'WORKER_ENV'
WORKER_CONCURRENCY={{ .Count }}
WORKER_LOG_LEVEL={{ env "WORKER_LOG_LEVEL" }}
WORKER_NOTIFY={{ .SlackChannel }}
WORKER_ENV

# write_hook NAME URL BODY: an executable that POSTs BODY to URL once and prints the gateway's answer.
write_hook() {
  printf '#!/usr/bin/env bash\nexec curl -sf -X POST --data %q %q\n' "$3" "$2" >"$1"
  chown app:app "$1"
  chmod 0755 "$1"
}

notify="slack-channel={{ .SlackChannel }}"
write_hook on-launch "{{ .InstanceLaunchURL }}?$notify" "{\"instance_id\":\"$instance_id\"}"
write_hook on-heartbeat "{{- .InstanceHeartbeatURL -}}" "instance-id=$instance_id"
write_hook on-terminate "{{ .InstanceTerminateURL }}?$notify" "{\"instance_id\":\"$instance_id\"}"
