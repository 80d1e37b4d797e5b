/**
 * A valid overcast.yml of about `targetBytes`: many services, each with an image, args, env, exposes and
 * dependencies on earlier services (so there is no cycle), placed over a few datacenters.
 */
export function generateLargeDeployment(targetBytes: number): { text: string; services: number } {
  const datacenters = ['westcoast', 'eastcoast', 'europe', 'asia'];
  const header = [
    'version: "0.1"',
    'deployment:',
    '  datacenters:',
    ...datacenters.flatMap((name, index) => [
      `    ${name}:`,
      `      region: ${['us-west', 'us-east', 'eu-central', 'ap-south'][index]}`,
      '      profiles:',
      '        web:',
      '          qos: { lifetime: medium, memory: 2GB, cpu: 1 }',
      '          pricing: { max-price: 1.5, collateral: 1h }',
      '        db:',
      '          qos:',
      '            lifetime: long',
      '            memory: 16GB',
      '          pricing:',
      '            max-price: 10',
    ]),
  ];
  const services: string[] = ['services:'];
  const placements: string[] = ['  services:'];
  let count = 0;
  let size = header.join('\n').length;
  while (size < targetBytes) {
    const name = `service-${count}`;
    const lines = [
      `  ${name}:`,
      `    image: registry.example.com/team/${name}:1.${count % 50}.0`,
      '    args: ["--port", 8080, "--log-format", "json"]',
      '    env:',
      `      SERVICE_NAME: ${name}`,
      `      DATABASE_URL: postgres://db-${count % 7}.internal:5432/app_${count}`,
      '      FEATURE_FLAGS: "search,billing,reports"',
      ...(count > 0 ? ['    depends-on:', `      - service: service-${Math.floor(count / 2)}`] : []),
      '    expose:',
      '      - port: 8080',
      '        to:',
      `          - service: service-${count + 1}`,
      '          - global: true',
      '      - port: 443',
      '        to:',
      '          - global: true',
    ];
    const placement = [
      `    ${name}:`,
      `      ${datacenters[count % 4]}:`,
      `        profile: ${count % 5 === 0 ? 'db' : 'web'}`,
      `        nodes: ${1 + (count % 9)}`,
      `      ${datacenters[(count + 1) % 4]}:`,
      '        profile: web',
      '        nodes: 2',
    ];
    services.push(...lines);
    placements.push(...placement);
    size += lines.join('\n').length + placement.join('\n').length + 2;
    count += 1;
  }
  // The last service's expose.to names the next one: make it exist.
  services.push(`  service-${count}:`, '    image: registry.example.com/team/last:1');
  return { text: [...services, ...header, ...placements, ''].join('\n'), services: count + 1 };
}
