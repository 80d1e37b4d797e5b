# Sourced by bash (BASH_ENV) before the operator's init script (init-script.tmpl.bash, rendered) and its hooks: what
# an EC2 instance has and this machine does not, and nothing else. The metadata service answers the instance id; /app is
# a directory of the test's own; the `app` user does not exist here, so chown to it does nothing. Every other command,
# curl included, is the real one.
curl() {
  if [[ "$*" == *169.254.169.254/latest/meta-data/instance-id* ]]; then
    printf '%s' "$FAKE_EC2_INSTANCE_ID"
  else
    command curl "$@"
  fi
}
mkdir() {
  if [[ "$*" == "-p /app" ]]; then command mkdir -p "$SANDBOX/app"; else command mkdir "$@"; fi
}
cd() {
  if [[ "$1" == /app ]]; then builtin cd "$SANDBOX/app"; else builtin cd "$@"; fi
}
chown() {
  [[ "$1" == app:app ]] || command chown "$@"
}
