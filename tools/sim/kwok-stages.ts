/**
 * How kwok plays the kubelet of the simulated nodes (its Stage API, kwok.x-k8s.io/v1alpha1): a node turns Ready
 * with its addresses; a scheduled pod starts at once (init containers completed, every container running and ready,
 * readiness gates met, an IP from the pod CIDR); a Job's pod then completes; a pod being deleted goes. Probes are
 * not run: readiness here means "the kubelet would start it", which is what scheduling and admission decide.
 */
const NODE_READY = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: sim-node-ready
spec:
  resourceRef: { apiGroup: v1, kind: Node }
  selector:
    matchExpressions:
    - { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: NotIn, values: ['True'] }
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range NodeConditions }}
      - { type: {{ .type | Quote }}, status: {{ .status | Quote }}, reason: {{ .reason | Quote }}, message: {{ .message | Quote }}, lastHeartbeatTime: {{ $now | Quote }}, lastTransitionTime: {{ $now | Quote }} }
      {{ end }}
      addresses:
      - { type: InternalIP, address: {{ NodeIP | Quote }} }
      - { type: Hostname, address: {{ .metadata.name | Quote }} }
      allocatable:
      {{ YAML .status.allocatable 1 }}
      capacity:
      {{ YAML .status.capacity 1 }}
      nodeInfo:
      {{ YAML .status.nodeInfo 1 }}
      phase: Running
`;

const POD_RUNNING = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: sim-pod-running
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: '.metadata.deletionTimestamp', operator: DoesNotExist }
    - { key: '.status.podIP', operator: DoesNotExist }
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
      - { type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }} }
      - { type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }} }
      {{ range .spec.readinessGates }}
      - { type: {{ .conditionType | Quote }}, status: "True", lastTransitionTime: {{ $now | Quote }} }
      {{ end }}
      {{ if .spec.initContainers }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} } } }
      {{ end }}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: true, started: true, restartCount: 0, state: { running: { startedAt: {{ $now | Quote }} } } }
      {{ end }}
      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
      phase: Running
      startTime: {{ $now | Quote }}
`;

const POD_COMPLETE = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: sim-job-pod-complete
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: '.metadata.deletionTimestamp', operator: DoesNotExist }
    - { key: '.status.phase', operator: In, values: [Running] }
    - { key: '.metadata.ownerReferences.[].kind', operator: In, values: [Job] }
  delay: { durationMilliseconds: 2000 }
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range .spec.containers }}
      - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} } } }
      {{ end }}
      phase: Succeeded
`;

const POD_DELETE = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: sim-pod-delete
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: '.metadata.deletionTimestamp', operator: Exists }
    - { key: '.metadata.finalizers', operator: DoesNotExist }
  next:
    delete: true
`;

/** kwok's configuration file: the stages above. */
export const KWOK_CONFIG = [NODE_READY, POD_RUNNING, POD_COMPLETE, POD_DELETE].join('---\n');
