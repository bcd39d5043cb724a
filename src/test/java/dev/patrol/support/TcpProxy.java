package dev.patrol.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in the test's own process, between Patrol and its database, that can play the outages a database
 * server has: {@link #kill()} (every connection closed, new ones refused), {@link #freeze()} (connections accepted
 * and kept, not one byte forwarded), {@link #dropConnections()} (the open connections break, new ones work) and
 * {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile ServerSocket server;
    private volatile boolean frozen;

    public TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = listen(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    /** The loopback port to connect to instead of the database's. */
    public int port() {
        return port;
    }

    /** The database is gone: open connections are closed and new ones refused. */
    public void kill() {
        close(server);
        dropConnections();
    }

    /** The database hangs: connections are accepted and kept open, but nothing goes through either way. */
    public void freeze() {
        frozen = true;
    }

    /** The open connections break (as after a failover); new ones are served. */
    public void dropConnections() {
        for (Socket socket : sockets) {
            close(socket);
            sockets.remove(socket);
        }
    }

    /** The database is back. */
    public void restore() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
        if (server.isClosed()) {
            server = listen(port);
            accept(server);
        }
    }

    @Override
    public void close() {
        restore();
        close(server);
        dropConnections();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket listening) {
        Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + port).start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket();
                    sockets.add(client);
                    sockets.add(upstream);
                    if (listening.isClosed()) {
                        // killed while this one was being accepted
                        close(client);
                        close(upstream);
                        continue;
                    }
                    upstream.connect(target, 2_000);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException closedOrRefused) {
                    // the listening socket was closed by kill(), or the database refused: the client sees a reset
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("tcp-proxy-pump").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitThaw();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                // one side went away: so does the other
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
