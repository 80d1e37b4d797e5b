/** How clients reach the embedded server: its superuser over loopback TCP, password from the cluster. */
export function embeddedUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}
