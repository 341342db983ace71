// Customer-service bot on Azure: App Service plan (Linux) + Web App (Node 22 LTS) + Azure Bot with the
// Microsoft Teams and Direct Line / Web Chat channels. MongoDB is external (Atlas or your replica set).
//
//   az deployment group create -g <resource group> -f deployment/azure/main.bicep \
//     -p @deployment/azure/main.parameters.json   (a copy of main.parameters.example.json)
//
// Then deploy the code (see deployment/README.md) and upload the Teams app package.

targetScope = 'resourceGroup'

@description('Base name: the web app is <name>.azurewebsites.net, the bot resource <name>-bot. Globally unique, 2-40 letters, digits or hyphens.')
@minLength(2)
@maxLength(40)
param name string

@description('Region of the App Service plan and the web app. The Azure Bot resource itself is global.')
param location string = resourceGroup().location

@description('App Service plan SKU (Linux). B1 or larger: Always On is not available on F1.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServiceSku string = 'B1'

@description('Number of web app instances, capped at what the plan allows (Basic 3, Standard 10, Premium v3 30). Keep 1 for now: several instances do not yet behave as one (staff events, FAQ index, conversation turns and the embedded Direct Line are per process; see deployment/README.md, Scaling out).')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

@description('Azure Bot pricing tier: F0 (free, limited premium-channel messages) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Type of the bot identity: a multi-tenant or single-tenant app registration, or a user-assigned managed identity.')
@allowed([
  'MultiTenant'
  'SingleTenant'
  'UserAssignedMSI'
])
param msaAppType string = 'SingleTenant'

@description('Application (client) id of the app registration, or the client id of the user-assigned managed identity.')
param msaAppId string

@description('Tenant id of the app registration or managed identity (used for SingleTenant and UserAssignedMSI).')
param msaAppTenantId string = subscription().tenantId

@description('Client secret of the app registration (MultiTenant and SingleTenant). Leave empty for UserAssignedMSI.')
@secure()
param msaAppPassword string = ''

@description('Resource id of the user-assigned managed identity (UserAssignedMSI only).')
param msaAppMsiResourceId string = ''

@description('MongoDB connection string, e.g. mongodb+srv://user:pass@cluster.example.mongodb.net/?retryWrites=true&w=majority')
@secure()
param mongodbUri string

@description('MongoDB database name.')
param mongodbDb string = 'customer_service_bot'

@description('First admin token (Bearer) for the admin pages and API, at least 24 characters.')
@secure()
@minLength(24)
param adminToken string

@description('Azure Direct Line secret for the web chat. Empty: the bot serves Web Chat through its embedded Direct Line.')
@secure()
param directLineSecret string = ''

@description('Key the embedded Direct Line signs web chat tokens with: at least 32 random characters (e.g. openssl rand -base64 48), the same on every instance. Production refuses to start without it unless directLineSecret is set.')
@secure()
param directLineSigningKey string = ''

@description('Comma-separated origins allowed to embed the web chat and request tokens.')
param directLineTrustedOrigins string = ''

@description('Default locale: en, id, pl or nb.')
@allowed([
  'en'
  'id'
  'pl'
  'nb'
])
param defaultLocale string = 'en'

@description('Name of the bot shown in the web chat.')
param webchatBotName string = 'Support'

@description('Tags for every resource.')
param tags object = {}

// The most instances each plan tier runs (Basic, Standard, Premium v3): instanceCount is capped at it.
var maxInstancesByTier = {
  B: 3
  S: 10
  P: 30
}
var capacity = min(instanceCount, maxInstancesByTier[substring(appServiceSku, 0, 1)])

var isMsi = msaAppType == 'UserAssignedMSI'
var tenantForBot = msaAppType == 'MultiTenant' ? '' : msaAppTenantId
// The web app runs as the bot's managed identity for UserAssignedMSI (the key is guarded so that the
// object stays well-formed when the parameter is empty for the other app types).
var msiIdentity = {
  type: 'UserAssigned'
  userAssignedIdentities: {
    '${isMsi ? msaAppMsiResourceId : 'unused'}': {}
  }
}
var noIdentity = {
  type: 'None'
}

// Environment of the bot (config.ts documents each key). Secrets come from @secure() parameters.
var appSettings = {
  NODE_ENV: 'production'
  PUBLIC_URL: 'https://${name}.azurewebsites.net'
  // App Service's front end is one proxy: the client is the last X-Forwarded-For entry (the limits per client).
  TRUST_PROXY: '1'
  MicrosoftAppId: msaAppId
  MicrosoftAppPassword: msaAppPassword
  MicrosoftAppType: msaAppType
  MicrosoftAppTenantId: tenantForBot
  MONGODB_URI: mongodbUri
  MONGODB_DB: mongodbDb
  ADMIN_TOKEN: adminToken
  DIRECT_LINE_SECRET: directLineSecret
  DIRECT_LINE_SIGNING_KEY: directLineSigningKey
  DIRECT_LINE_TRUSTED_ORIGINS: directLineTrustedOrigins
  DEFAULT_LOCALE: defaultLocale
  WEBCHAT_BOT_NAME: webchatBotName
  // Production starts with an empty knowledge base (the demo entries are for trials).
  FAQ_SEED_DEMO: 'false'
  // The package is built before upload (npm ci, npm run build, npm prune --omit=dev): no build on the server.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  // Take an instance out of the load balancer after 5 failed /readyz pings.
  WEBSITE_HEALTHCHECK_MAXPINGFAILURES: '5'
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: capacity
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: isMsi ? msiIdentity : noIdentity
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // state lives in MongoDB: no sticky sessions
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      // Readiness: the database is reachable (and, on the embedded store, its writes succeed).
      healthCheckPath: '/readyz'
      http20Enabled: true
      webSocketsEnabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: webchatBotName
    endpoint: 'https://${app.properties.defaultHostName}/api/messages'
    msaAppType: msaAppType
    msaAppId: msaAppId
    msaAppTenantId: tenantForBot
    msaAppMSIResourceId: isMsi ? msaAppMsiResourceId : ''
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

resource directLineChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'DirectLineChannel'
  location: 'global'
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: true
          isV1Enabled: false
          isV3Enabled: true
        }
      ]
    }
  }
}

resource webChatChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'WebChatChannel'
  location: 'global'
  properties: {
    channelName: 'WebChatChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: true
          isWebchatPreviewEnabled: true
        }
      ]
    }
  }
}

@description('Number of instances the plan runs (instanceCount capped at the plan\'s maximum).')
output instances int = capacity

@description('Web app host name.')
output webAppHostName string = app.properties.defaultHostName

@description('Messaging endpoint configured on the Azure Bot.')
output messagingEndpoint string = bot.properties.endpoint

@description('Web chat page.')
output webChatUrl string = 'https://${app.properties.defaultHostName}/'

@description('Azure Bot resource name (for az bot … commands).')
output botName string = bot.name
