import { timingSafeEqual } from 'node:crypto';
import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type UserTokenClient,
} from 'botframework-connector';
import { BoundedMap } from '../../core/boundedMap';
import { derivedKey } from './tokens';

/** The header that carries the shared key on the bot's calls to the embedded Direct Line. */
export const BOT_KEY_HEADER = 'x-embedded-directline-key';
/** Where the bot's replies arrive (its Bot Connector API): `${publicUrl}${SERVICE_PATH}/v3/conversations/…`. */
export const SERVICE_PATH = '/v3/directline/bot';

type ConnectorCredentials = ConstructorParameters<typeof ConnectorClient>[0];

class FunctionConnectorFactory extends ConnectorFactory {
  constructor(readonly create: (serviceUrl: string, audience?: string) => Promise<ConnectorClient>) {
    super();
  }
}

/**
 * The in-process link between the bot and the embedded Direct Line.
 *
 * The bot sends its replies with an ordinary ConnectorClient to `serviceUrl`, exactly as to Azure's Bot
 * Connector, so bot code cannot tell the difference. Those clients carry no AAD credentials (no token is ever
 * fetched, even when MicrosoftAppId is set); instead every request carries a key in the
 * `x-embedded-directline-key` header, which the bot-side endpoints require. The key is derived from the signing
 * key every instance shares, so a reply sent by one instance is accepted by whichever instance receives it; it
 * is not in any URL, activity or stored conversation reference, so references stay valid across restarts.
 */
export class DirectLineLink {
  private readonly key: string;
  private readonly credentials: ConnectorCredentials = {
    signRequest: (request) => {
      request.headers.set(BOT_KEY_HEADER, this.key);
      return Promise.resolve(request);
    },
  };
  readonly connectorFactory = new FunctionConnectorFactory((serviceUrl) =>
    Promise.resolve(new ConnectorClient(this.credentials, { baseUri: serviceUrl })),
  );

  /**
   * `publicUrl` is a function because the port may be known only once the server listens (port 0 in tests).
   * `appId` is MicrosoftAppId ('' without one), the bot identity of the turns.
   */
  constructor(
    /** The Direct Line signing key every instance shares (sharedSigningKey); the link's key is derived from it. */
    signingKey: Buffer,
    private readonly publicUrl: () => string,
    readonly appId = '',
  ) {
    this.key = derivedKey(signingKey, 'direct-line-bot-link').toString('base64url');
  }

  /** The serviceUrl of embedded Direct Line activities. */
  get serviceUrl(): string {
    return `${this.publicUrl().replace(/\/$/, '')}${SERVICE_PATH}`;
  }

  owns(serviceUrl: string | undefined): boolean {
    return serviceUrl !== undefined && serviceUrl.replace(/\/$/, '') === this.serviceUrl;
  }

  /** Whether a bot-side request carries the key. */
  accepts(header: string | undefined): boolean {
    const given = Buffer.from(header ?? '');
    const expected = Buffer.from(this.key);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The authentication result of an activity that came in through the embedded Direct Line. */
  authentication(): AuthenticateRequestResult {
    return {
      audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
      claimsIdentity: new ClaimsIdentity(
        [
          { type: AuthenticationConstants.AudienceClaim, value: this.appId },
          { type: AuthenticationConstants.AppIdClaim, value: this.appId },
        ],
        true,
      ),
      connectorFactory: this.connectorFactory,
    };
  }
}

/** Distinct (bot, service URL, audience) connector clients kept; service URLs are few per deployment. */
const MAX_CACHED_CLIENTS = 256;

/**
 * Wraps the adapter's BotFrameworkAuthentication: turns into web chat conversations of the embedded Direct Line
 * (when `link` is given) go through the link without credentials, proactive ones included; every other
 * channel authenticates as configured; connector clients are reused across turns.
 * Use: `new BotAdapter(new DirectLineAuthentication(auth, link))`.
 */
export class DirectLineAuthentication extends BotFrameworkAuthentication {
  private readonly clients = new BoundedMap<string, Promise<ConnectorClient>>(MAX_CACHED_CLIENTS);
  private readonly userTokenClients = new BoundedMap<string, Promise<UserTokenClient>>(MAX_CACHED_CLIENTS);

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** The embedded Direct Line, when it is on (no DIRECT_LINE_SECRET). */
    private readonly link?: DirectLineLink,
  ) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return result.connectorFactory
      ? { ...result, connectorFactory: this.cached(result.claimsIdentity, result.connectorFactory) }
      : result;
  }

  authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.cached(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  /**
   * Connector clients per bot identity, service URL and audience, made once: the SDK builds a new client (and
   * its HTTP pipeline) for every turn otherwise, a tenth of a turn's cost. Clients keep no per-turn state; the
   * credentials inside cache their tokens. The embedded Direct Line's URLs get its own credential-free clients.
   */
  private cached(claimsIdentity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory {
    const identity = claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
    return new FunctionConnectorFactory((serviceUrl, audience) => {
      const key = `${identity}|${serviceUrl}|${audience ?? ''}`;
      let client = this.clients.get(key);
      if (!client) {
        client = this.link?.owns(serviceUrl)
          ? this.link.connectorFactory.create(serviceUrl)
          : inner.create(serviceUrl, audience);
        this.clients.set(key, client);
        // A failed creation (e.g. no token) is not kept.
        client.catch(() => this.clients.delete(key));
      }
      return client;
    });
  }

  /** One user-token client per bot identity: the SDK makes one (with its HTTP pipeline) for every turn. */
  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const identity = claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
    let client = this.userTokenClients.get(identity);
    if (!client) {
      client = this.inner.createUserTokenClient(claimsIdentity);
      this.userTokenClients.set(identity, client);
      client.catch(() => this.userTokenClients.delete(identity));
    }
    return client;
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}
