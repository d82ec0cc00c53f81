import { type Activity, CallerIdConstants, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { TeamsSettings } from '../config/environment.js';

/**
 * botbuilder's configuration keys for where the Bot Framework is. Setting any one makes botbuilder take all of
 * them from the configuration (an unset one is then undefined, not the public cloud's), so they are filled in here.
 */
export type BotFrameworkEndpointKey =
  | 'ToBotFromChannelOpenIdMetadataUrl'
  | 'ToBotFromChannelTokenIssuer'
  | 'ToBotFromEmulatorOpenIdMetadataUrl'
  | 'ToChannelFromBotLoginUrl'
  | 'ToChannelFromBotOAuthScope'
  | 'OAuthUrl'
  | 'CallerId';

/** What tests change: the endpoints (the fake Bot Connector's) and how the bot gets its own token. */
export interface TeamsAuthOverrides {
  readonly configuration?: Readonly<Partial<Record<BotFrameworkEndpointKey, string>>>;
  /** Replaces botbuilder's credentials from MICROSOFT_APP_TYPE (tests: MSAL pointed at the fake's token endpoint). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

const publicCloud: Record<BotFrameworkEndpointKey, string> = {
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
};

function configurationFor(settings: TeamsSettings, overrides: TeamsAuthOverrides): ConfigurationBotFrameworkAuthenticationOptions {
  // Development mode: no app id, so botbuilder verifies no token and signs no request (claims: 'anonymous').
  const credentials: ConfigurationBotFrameworkAuthenticationOptions =
    settings.appId === null
      ? {}
      : {
          MicrosoftAppId: settings.appId,
          MicrosoftAppType: settings.appType,
          ...(settings.appPassword === null ? {} : { MicrosoftAppPassword: settings.appPassword }),
          ...(settings.tenantId === null ? {} : { MicrosoftAppTenantId: settings.tenantId }),
        };
  const chosen = {
    ...overrides.configuration,
  };
  return Object.keys(chosen).length === 0 ? credentials : { ...credentials, ...publicCloud, ...chosen };
}

/** jsonwebtoken's verification failures, which botbuilder lets through as they are (CloudAdapter answers them 500). */
const tokenErrorNames = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Every failed token check a refusal (401), keeping the cause; an outage (keys unreachable) stays a 500. */
function asRefusal(error: unknown): unknown {
  if (error instanceof AuthenticationError || !(error instanceof Error) || !tokenErrorNames.has(error.name)) return error;
  const refusal = new AuthenticationError('Unauthorized. The token failed verification.', 401);
  refusal.cause = error;
  return refusal;
}

/** The part of @azure/core-client's ServiceClient a ConnectorClient keeps, privately, as `client`. */
interface WithPipeline {
  readonly client?: { readonly pipeline?: { removePolicy(policy: { name: string }): readonly unknown[] } };
}

/**
 * botbuilder builds every ConnectorClient on @azure/core-client's default pipeline, whose retry policy waits out a
 * 429's Retry-After and sends again, and backs off and resends a 408, a 5xx or a network error, up to 3 times each,
 * with no option to change it. Steward's outbox must see the 429 and its Retry-After itself: the policy is removed.
 */
function withoutSdkRetries(connector: ConnectorClient): ConnectorClient {
  const removed = (connector as unknown as WithPipeline).client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' }) ?? [];
  if (removed.length !== 1) throw new Error("botbuilder's ConnectorClient no longer has the retry policy Steward removes: check how it retries before upgrading");
  return connector;
}

class ConnectorsWithoutRetries extends ConnectorFactory {
  constructor(private readonly inner: ConnectorFactory) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return withoutSdkRetries(await this.inner.create(serviceUrl, audience));
  }
}

/** botbuilder's authentication, with every failed token check a 401 and connectors that do not retry on their own. */
class SteadyAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly audience: string,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader).catch((error: unknown) => Promise.reject(asRefusal(error)));
    return result.connectorFactory ? { ...result, connectorFactory: new ConnectorsWithoutRetries(result.connectorFactory) } : result;
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader).catch((error: unknown) => Promise.reject(asRefusal(error)));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ConnectorsWithoutRetries(this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  /** The audience createConversationAsync wants (ConfigurationBotFrameworkAuthentication throws NotImplemented). */
  override getOriginatingAudience(): string {
    return this.audience;
  }
}

/**
 * The Bot Framework authentication for Steward's CloudAdapter: botbuilder's ConfigurationBotFrameworkAuthentication
 * from the Teams settings (MICROSOFT_APP_* ; the public cloud unless TEAMS_OPENID_METADATA_URL or TEAMS_LOGIN_URL
 * say otherwise), every incoming token verified and each failure answered 401, and outgoing Connector calls made
 * once (a 429 reaches the caller with its Retry-After). Production passes no overrides.
 */
export function teamsAuthentication(settings: TeamsSettings, overrides: TeamsAuthOverrides = {}): BotFrameworkAuthentication {
  const configuration = configurationFor(settings, overrides);
  const audience = configuration.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
  return new SteadyAuthentication(new ConfigurationBotFrameworkAuthentication(configuration, overrides.credentialsFactory), audience);
}
