/// The original Reactor's own endpoint files (gridcentric/reactor-core) that name only drivers
/// this build has, their text as the original shipped it: accepted as they are.
enum OriginalFiles {
    static let accepted: [(path: String, text: String)] = [
        (
            "default/apihttp.conf",
            """
            [endpoint]
            url = http://
            static_instances = localhost
            port = 8080
            loadbalancer = nginx
            [loadbalancer:nginx]
            ssl = false
            """
        ),
        (
            "default/apihttps.conf",
            """
            [endpoint]
            url = https://
            static_instances = localhost
            port = 8080
            loadbalancer = nginx
            [loadbalancer:nginx]
            ssl = true
            """
        ),
        (
            "example/endpoint/haproxy.conf",
            """
            [endpoint]
            # The URL for the endpoint.
            url=http://example.com

            # A set of static instances.
            # This points to google.com.
            static_instances=74.125.226.142

            # The backend port to connect to.
            port=80

            # Use HAProxy as our loadbalancer.
            loadbalancer=haproxy
            """
        ),
        (
            "example/endpoint/nginx.conf (docker.conf links to it)",
            """
            [endpoint]
            # The URL for the endpoint.
            url=http://example.com

            # The backend port.
            port=4444

            # Use docker as our backend.
            cloud=docker

            # Use nginx as our loadbalancer.
            loadbalancer=nginx

            [cloud:docker]
            # The docker image.
            image=ubuntu:12.10

            # The command to run.
            command=nc -l 4444

            [scaling]
            # The minimum instances in the cluster.
            min_instances=1

            # The maximum instances in the cluster.
            max_instances=5

            # The metrics used for scaling the cluster.
            # In this case, we aim to have our rate be between
            # 20 and 50 hits/s for each server, and a response
            # time of between 100 and 800 ms.
            rules=20<=rate<=50,100<=response<800
            """
        ),
    ]
}
