package org.rheumalens.server;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The one socket the app listens on: the configured address (loopback by default), plain HTTP or TLS. */
final class Listener {

  private Listener() {}

  static Connector connector(Server server, HttpConfiguration base, ServerConfig.Http http, int port) {
    ServerConnector connector;
    if (http.tls()) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(http.tlsKeystore().toAbsolutePath().toString());
      ssl.setKeyStorePassword(http.tlsPassword());
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      HttpConfiguration https = new HttpConfiguration(base);
      https.setSecureScheme("https");
      https.addCustomizer(new SecureRequestCustomizer());
      connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(base));
    }
    connector.setHost(http.host());
    connector.setPort(port);
    return connector;
  }
}
