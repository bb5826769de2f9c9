export { AppConfig, ConfigError, loadConfig } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
export { sha256, TokenCredential } from './tokens';
