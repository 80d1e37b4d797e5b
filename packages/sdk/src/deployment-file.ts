/**
 * An overcast.yml sent as it is written: the registry reads the text itself, so every problem it reports names a
 * line of the caller's file. YAML reads JSON too, so a JSON file goes the same way.
 */
export function deploymentFileBody(file: string) {
  return {
    body: file,
    bodySerializer: (body: unknown) => String(body),
    headers: { 'Content-Type': 'application/yaml' },
  };
}
