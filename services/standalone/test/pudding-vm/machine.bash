# The machine of the local image "pudding-vm" (its BASH_ENV, sourced by bash before the init script and its hooks):
# what the AMI a pudding init script was written for has and a local instance does not, and nothing else. /app, where
# such AMIs keep the worker, is the instance's own $HOME/app (a local instance never writes the host's /); `app`, the
# user the worker runs as there, is the instance's own user. curl and the EC2 metadata it asks for are real: the
# image has instanceMetadata, so 169.254.169.254 is answered by the local provider for this instance.
mkdir() {
  if [[ "$*" == "-p /app" ]]; then command mkdir -p "$HOME/app"; else command mkdir "$@"; fi
}
cd() {
  if [[ "$1" == /app ]]; then builtin cd "$HOME/app"; else builtin cd "$@"; fi
}
chown() {
  if [[ "$1" == app:app ]]; then command chown "$(id -u):$(id -g)" "${@:2}"; else command chown "$@"; fi
}
