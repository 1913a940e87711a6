// Starting points for a new endpoint (the examples of examples/endpoints/, shortened).
const processCloud = { command: 'sh examples/instances/http-instance.sh', addresses: '127.0.1.0/24' };

export const templates = [
  {
    id: 'tcp', title: 'TCP', text: 'Local processes behind the built-in tcp balancer',
    configuration: {
      endpoint: { url: 'tcp://127.0.0.1:8001', loadbalancer: 'tcp', cloud: 'process', port: 9000 },
      scaling: { min_instances: 1, max_instances: 5, rules: '2 <= active <= 8', ramp_limit: 2 },
      'loadbalancer:tcp': { balance: 'leastconn', hold_timeout: 30 },
      'cloud:process': processCloud,
    },
  },
  {
    id: 'nginx', title: 'HTTP via nginx', text: 'Local processes behind nginx, scaled on request rate',
    configuration: {
      endpoint: { url: 'http://127.0.0.1:8081/', loadbalancer: 'nginx', cloud: 'process', port: 9000 },
      scaling: { min_instances: 2, max_instances: 10, rules: '10 <= rate <= 50' },
      'loadbalancer:nginx': { keepalive: 32, connect_timeout: 2, read_timeout: 60 },
      'cloud:process': processCloud,
    },
  },
  {
    id: 'haproxy', title: 'HAProxy', text: 'Local processes behind haproxy in tcp mode',
    configuration: {
      endpoint: { url: 'tcp://127.0.0.1:8082', loadbalancer: 'haproxy', cloud: 'process', port: 9000 },
      scaling: { min_instances: 1, max_instances: 6, rules: '5 <= active <= 20', ramp_limit: 3 },
      'loadbalancer:haproxy': { mode: 'tcp', balance: 'leastconn', check_interval: 2 },
      'cloud:process': processCloud,
    },
  },
  {
    id: 'docker', title: 'Docker', text: 'Containers on the docker cloud behind the tcp balancer',
    configuration: {
      endpoint: { url: 'tcp://127.0.0.1:8085', loadbalancer: 'tcp', cloud: 'docker', port: 9000 },
      scaling: { min_instances: 1, max_instances: 3 },
      'cloud:docker': { image: 'reactor-busybox:1', pull: 'never', network: 'host', slots: 10, mem_limit: '64m' },
    },
  },
  {
    id: 'process', title: 'Process', text: 'Local worker processes with no balancer',
    configuration: {
      endpoint: { cloud: 'process' },
      scaling: { min_instances: 1, max_instances: 4, rules: 'active <= 10' },
      'cloud:process': { command: 'sh examples/instances/agent.sh' },
    },
  },
  { id: 'blank', title: 'Blank', text: 'Every key at its default', configuration: {} },
];
