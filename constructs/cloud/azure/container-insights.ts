/**
 * AksContainerInsights: the managed container-log pipeline of AKS. A Log Analytics workspace, and (once the cluster
 * exists) the data collection rule and its association that managed-identity Container Insights needs: with
 * `msi_auth_for_monitoring_enabled`, the agent sends nothing until a rule is associated with the cluster (the Azure
 * CLI creates both; Terraform must).
 */
import { LogAnalyticsWorkspace, MonitorDataCollectionRule, MonitorDataCollectionRuleAssociation } from './provider.cjs';
import { Construct } from 'constructs';

export interface AksContainerInsightsProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** 30 to 730. */
  readonly retentionDays: number;
}

/** The Container Insights streams: container logs (v2), Kubernetes inventory and events, and performance data. */
export const CONTAINER_INSIGHTS_STREAMS = [
  'Microsoft-ContainerInventory',
  'Microsoft-ContainerLogV2',
  'Microsoft-ContainerNodeInventory',
  'Microsoft-InsightsMetrics',
  'Microsoft-KubeEvents',
  'Microsoft-KubeMonAgentEvents',
  'Microsoft-KubeNodeInventory',
  'Microsoft-KubePVInventory',
  'Microsoft-KubePodInventory',
  'Microsoft-KubeServices',
  'Microsoft-Perf',
] as const;

const DESTINATION = 'ciworkspace';

export class AksContainerInsights extends Construct {
  public readonly workspace: LogAnalyticsWorkspace;
  private readonly props: AksContainerInsightsProps;

  constructor(scope: Construct, id: string, props: AksContainerInsightsProps) {
    super(scope, id);
    this.props = props;
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: `${props.clusterName}-logs`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionDays,
    });
  }

  /** The data collection rule (ContainerLogV2 on) and its association with the cluster. */
  public attach(clusterId: string): MonitorDataCollectionRuleAssociation {
    const streams = [...CONTAINER_INSIGHTS_STREAMS];
    const rule = new MonitorDataCollectionRule(this, 'rule', {
      name: `MSCI-${this.props.clusterName}`,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      kind: 'Linux',
      description: 'Container Insights of the cluster',
      destinations: { logAnalytics: [{ name: DESTINATION, workspaceResourceId: this.workspace.id }] },
      dataFlow: [{ streams, destinations: [DESTINATION] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams,
            extensionJson: JSON.stringify({ dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } }),
          },
        ],
      },
    });
    return new MonitorDataCollectionRuleAssociation(this, 'association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: clusterId,
      dataCollectionRuleId: rule.id,
      description: 'Container Insights of the cluster',
    });
  }
}
