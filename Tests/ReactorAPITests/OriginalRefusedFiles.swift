extension OriginalFiles {
    /// The original's files that name a cloud, a balancer or a section this build does not have,
    /// their text as the original shipped it: refused, with the documented message.
    static let refused: [(path: String, text: String)] = [
        (
            "example/endpoint/tcp.conf (osapi.conf links to it)",
            """
            [endpoint]
            # The URL for the endpoint.
            # This will bind to port 5001.
            url=tcp://5001

            # A set of static instances.
            # This points to google.com.
            static_instances=74.125.226.142

            # The backend port to connect to.
            # Note that the bind port is part of the URL.
            port=80

            # The TCP loadbalancer.
            loadbalancer=tcp

            # The standard OpenStack cloud.
            cloud=osapi

            [scaling]
            # Fix our instance limits.
            min_instances=1
            max_instances=5

            # The metrics used for scaling the cluster.
            # In this case, we aim to have our rate be between
            # 20 and 50 hits/s for each server, and a response
            # time of between 100 and 800 ms.
            rules=20<=rate<=50,100<=response<800

            [cloud:osapi]
            # The nova auth url.
            auth_url=http://nova:5000/v2.0/

            # The user account for the endpoint within openstack.
            username=admin

            # The user's api key for openstack.
            password=admin

            # The project the endpoint is apart of.
            tenant_name=admin

            # A unique name to associate to all of the instances for this endpoint. The combination of
            # (instance_name, image_id, flavor_id) should be unique.
            instance_name=default

            # The image used to boot new instances.
            image_id=6b7607d3-0a6c-477b-b939-bc228c46a5e2

            # The flavor used to boot new instances.
            flavor_id=1

            # An ssh key to inject into the instances when booting.
            key_name=

            # Any security groups to apply (comma separated)
            security_groups=
            """
        ),
        (
            "example/endpoint/rdp.conf (osvms.conf links to it)",
            """
            [endpoint]
            # The bind port.
            url = rdp://3389

            # The backend port.
            port = 3389

            # The backend cloud.
            cloud = osvms

            # The loadbalancer to use.
            loadbalancer = rdp

            [cloud:osvms]
            # The nova auth url.
            auth_url=http://10.1.1.1:5000/v2.0/

            # The user account for the endpoint within nova.
            username=admin

            # Ther user's api key for openstack.
            password=admin

            # The project the endpoint is apart of.
            tenant_name=admin

            # The live-image id.
            instance_id = 3e84fea8-1f6b-4132-8ec9-572118073cdf

            [loadbalancer:rdp]
            # The AD server and domain.
            domain = ad.mydomain.com

            # An administrator (capable of machine creation).
            username = administrator

            # The password for the above account.
            password = adminPassword

            [scaling]
            # Limits on instances.
            min_instances = 1
            max_instances = 5

            # Rules for how to manage the pool.
            rules = 0.5<active<0.8
            """
        ),
        (
            "example/endpoint.conf (and example/endpoint/endpoint.conf)",
            """
            [endpoint]
            # The URL for the endpoint.
            # This URL will be load balanced across all running instances.
            url=http://example.com

            # A set of static instances. These IPs/hosts will always be
            # included in the set of backend hosts.
            static_instances=

            # The backend port to connect to. Note that the frontend
            # port is specified as part of the endpoint URL above.
            port=80

            # The type of cloud that is managing the endpoint. The options are:
            #     osapi:  An Openstack cloud
            #     osvms:  An Openstack cloud with the Gridcentric VMS extension
            #     none:   There is no cloud managing this endpoint (simply static machines).
            #
            # The configuration parameters for interaction with the clouds are defined in
            # their own subsection as "cloud:<cloud-type>"
            cloud=osapi

            # The type of loadbalancer that is used for this endpoint. Options are:
            #     nginx:    An nginx-based loadbalancer.
            #     dnsmasq:  A dns-based loadbalancer.
            #     none:     No loadbalancer.
            #
            # The configuration parameters for interaction with the loadbalancers are
            # defined in their own subsection as "loadbalancer:<loadbalancer-type>".
            loadbalancer=nginx

            [windows]
            # Add machines to a windows domain prior to booting.
            domain = domain.example.com

            # The username of an administrator within the Windows domain.
            username = administrator

            # The password of the administrator.
            password = secret

            [scaling]
            # The minimum instances in the cluster.
            min_instances=1

            # The maximum instances in the cluster.
            max_instances=1

            # The metrics used for scaling the cluster.
            # In this case, we aim to have our rate be between
            # 20 and 50 hits/s for each server, and a response
            # time of between 100 and 800 ms.
            rules=20<=rate<=50,100<=response<800

            [cloud:osvms]
            # The nova auth url.
            auth_url=http://nova:5000/v2.0/

            # The user account for the endpoint within nova.
            username=admin

            # Ther user's api key for openstack.
            password=admin

            # The project the endpoint is apart of.
            tenant_name=admin

            # The blessed instance that will be used to base all other instances.
            instance_id=a0cd87b9-472c-4b2d-bfbe-7bd7083a9733

            [cloud:osapi]
            # The nova auth url.
            auth_url=http://nova:5000/v2.0/

            # The user account for the endpoint within openstack.
            username=admin

            # The user's api key for openstack.
            password=admin

            # The project the endpoint is apart of.
            tenant_name=admin

            # A unique name to associate to all of the instances for this endpoint. The combination of
            # (instance_name, image_id, flavor_id) should be unique.
            instance_name=default

            # The image used to boot new instances.
            image_id=6b7607d3-0a6c-477b-b939-bc228c46a5e2

            # The flavor used to boot new instances.
            flavor_id=1

            # An ssh key to inject into the instances when booting.
            key_name=

            # Any security groups to apply (comma separated)
            security_groups=
            """
        ),
        (
            "example/windows.conf (and example/endpoint/windows.conf)",
            """
            [endpoint]
            url = tcp://3389
            cloud = osvms

            [cloud:osvms]
            instance_id = 3e84fea8-1f6b-4132-8ec9-572118073cdf

            [windows]
            domain = gceast.gridcentric.ca
            username = administrator
            password = welcome2GC

            [scaling]
            max_instances = 5
            rules = 0.5<active<0.8
            min_instances = 1
            """
        ),
        (
            "example/service.conf",
            """
            [service]
            # The URL for the service.
            # This URL will be load balanced across all running instances.
            url=http://example.com

            # A set of static instances. These IPs/hosts will always be
            # included in the set of backend hosts.
            static_instances=

            # The backend port to connect to. Note that the frontend
            # port is specified as part of the service URL above.
            port=80

            # The type of cloud that is managing the service. The options are:
            #     nova:      An Openstack cloud
            #     nova-vms:  An Openstack cloud with the Gridcentric VMS extension
            #     none:      There is no cloud managing this service (simply static machines).
            #
            # The configuration parameters for interaction with the clouds are defined in
            # their own subsection as "cloud:<cloud-type>"
            cloud=nova-vms

            [scaling]
            # The minimum instances in the cluster.
            min_instances=1

            # The maximum instances in the cluster.
            max_instances=1

            # The metrics used for scaling the cluster.
            # In this case, we aim to have our rate be between
            # 20 and 50 hits/s for each server, and a response
            # time of between 100 and 800 ms.
            metrics=20<=rate<=50,100<=response<800

            [cloud:nova-vms]
            # The nova auth url.
            authurl=http://nova:8774/v1.1/

            # The user account for the service within nova.
            user=admin

            # Ther user's api key for nova.
            apikey=admin

            # The project the service is apart of.
            project=admin

            # The blessed instance that will be used to base all other instances.
            instance_id=0

            [cloud:nova]
            # The nova auth url.
            authurl=http://nova:8774/v1.1/

            # The user account for the service within nova.
            user=admin

            # The user's api key for nova.
            apikey=admin

            # The project the service is apart of.
            project=admin

            # A unique name to associate to all of the instances for this service. The combination of
            # (instance_name, image_id, flavor_id) should be unique.
            instance_name=default

            # The image used to boot new instances.
            image_id=0

            # The flavor used to boot new instances.
            flavor_id=1

            # An ssh key to inject into the instances when booting.
            key_name=

            # Any security groups to apply (comma separated)
            security_groups=
            """
        ),
    ]
}
