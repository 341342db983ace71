import { randomBytes, timingSafeEqual } from 'node:crypto';
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

/** The header that carries the per-process key on the bot's calls to the embedded Direct Line. */
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
 * fetched, even when MicrosoftAppId is set); instead every request carries a random per-process key in the
 * `x-embedded-directline-key` header, which the bot-side endpoints require. The key never leaves the process:
 * it is not in any URL, activity or stored conversation reference, so references stay valid across restarts.
 */
export class DirectLineLink {
  private readonly key = randomBytes(32).toString('base64url');
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
    private readonly publicUrl: () => string,
    readonly appId = '',
  ) {}

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

/**
 * Wraps the adapter's BotFrameworkAuthentication so that proactive turns (agent replies, surveys) into web chat
 * conversations also go through the link, without credentials; every other channel is untouched.
 * Use: `new BotAdapter(new DirectLineAuthentication(auth, link))`.
 */
export class DirectLineAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly link: DirectLineLink,
  ) {
    super();
  }

  authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateRequest(activity, authHeader);
  }

  authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = this.inner.createConnectorFactory(claimsIdentity);
    return new FunctionConnectorFactory((serviceUrl, audience) =>
      this.link.owns(serviceUrl)
        ? this.link.connectorFactory.create(serviceUrl)
        : inner.create(serviceUrl, audience),
    );
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
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
