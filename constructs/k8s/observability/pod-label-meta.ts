/** The service-discovery meta label of a pod label (Prometheus replaces every character outside [A-Za-z0-9_] by `_`). */
export const podLabelMeta = (label: string): string => `__meta_kubernetes_pod_label_${label.replace(/[^A-Za-z0-9]/g, '_')}`;
